//! Who may call each server function, and on whose data.
//!
//! Every server function is a public HTTP endpoint. Each one declares an [`AccessRule`]
//! constant right above its definition and checks it first thing in its body
//! (`begin(&RULE)`, which also resolves the caller's scope under the rule's `DataScope`
//! in `server::scope`); `crate::api::ACCESS_RULES` lists them all, and an integration test
//! fails if any registered endpoint has no rule or a rule names no endpoint.
//! The UI may hide what a role cannot do, but this is the authority.

use serde::{Deserialize, Serialize};

/// Roles (三员分立: the three administrative roles are separate).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    // (Stored as the snake_case names; see `Role::as_str`.)
    /// 党员: own record, learning, sign-in, own tasks.
    Member,
    /// 书记/支委 of one or more branches.
    BranchCommittee,
    /// 党委/组织部: everything in the Party's work.
    CommitteeOffice,
    /// 系统管理员: accounts and settings, no personal data.
    SystemAdmin,
    /// 安全管理员: security settings and roles of others.
    SecurityAdmin,
    /// 安全审计员: reads the audit trail, changes nothing.
    SecurityAuditor,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Member,
        Role::BranchCommittee,
        Role::CommitteeOffice,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::SecurityAuditor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Member => "member",
            Role::BranchCommittee => "branch_committee",
            Role::CommitteeOffice => "committee_office",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::SecurityAuditor => "security_auditor",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The role's name for people.
    pub fn label(self) -> crate::i18n::T {
        use crate::i18n::T;
        match self {
            Role::Member => T::RoleMember,
            Role::BranchCommittee => T::RoleBranchCommittee,
            Role::CommitteeOffice => T::RoleCommitteeOffice,
            Role::SystemAdmin => T::RoleSystemAdmin,
            Role::SecurityAdmin => T::RoleSecurityAdmin,
            Role::SecurityAuditor => T::RoleSecurityAuditor,
        }
    }
}

/// The role sets the rules name. Every rule's audience is one of these (or one role), so
/// that who may do what reads the same everywhere.
pub mod roles {
    use super::Role;

    /// Everyone in the Party's work: members, branch committees, the committee office.
    pub const PARTY: &[Role] = &[Role::Member, Role::BranchCommittee, Role::CommitteeOffice];
    /// Those who run a branch's business: branch committees and the committee office.
    pub const BRANCH_WORK: &[Role] = &[Role::BranchCommittee, Role::CommitteeOffice];
    /// The committee office alone.
    pub const OFFICE: &[Role] = &[Role::CommitteeOffice];
    /// Account administration (三员分立: the system and the security administrator).
    pub const ACCOUNT_ADMINS: &[Role] = &[Role::SystemAdmin, Role::SecurityAdmin];
    /// The security auditor alone.
    pub const AUDITORS: &[Role] = &[Role::SecurityAuditor];
}

/// Who may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, visitors included.
    Anyone,
    /// Any signed-in account.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
    /// Only a meeting-room tablet (a device credential, never a person's account).
    Device,
}

impl Audience {
    /// Whether a signed-in account holding `roles` is admitted.
    pub fn admits_signed_in(self, roles: &[Role]) -> bool {
        match self {
            Audience::Anyone | Audience::SignedIn => true,
            Audience::Roles(allowed) => roles.iter().any(|r| allowed.contains(r)),
            Audience::Device => false,
        }
    }
}

/// On whose data the function acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataScope {
    /// Aggregates without personal data.
    Aggregate,
    /// The organisation structure (names, kinds, counts, committee seat holders).
    OrgStructure,
    /// The caller's own records.
    Own,
    /// The caller's organisations and those below them.
    OrgSubtree,
    /// The audit trail.
    AuditTrail,
    /// Account records (names, roles, status), no personal data.
    Accounts,
    /// Meeting rooms and their tablets: no personal data.
    Rooms,
    /// One meeting room's meetings of the day (a paired tablet's only reach).
    Room,
    /// Learning content: changed as `OrgSubtree` (the publisher's committee, the office);
    /// read when published by the caller's own organisations or one above them.
    Learning,
}

/// The declaration every server function makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessRule {
    /// The endpoint path, `/api/<name>`.
    pub endpoint: &'static str,
    pub audience: Audience,
    pub scope: DataScope,
}

/// Who is calling: `None` for a visitor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caller {
    /// The account's username; `None` for a visitor.
    pub account: Option<String>,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// Organisations the caller serves on (for branch roles), as record keys.
    pub orgs: Vec<String>,
    /// The caller's own member record and its organisation, if the account is a member's.
    pub member: Option<String>,
    pub member_org: Option<String>,
    pub must_change_password: bool,
    /// The client's network address (for the audit trail).
    pub address: String,
    /// A meeting-room tablet's device key (then `account` is `None`): a caller that is no
    /// person.
    pub device: Option<String>,
    /// The room a tablet is paired with (`None` while it waits for pairing).
    pub room: Option<String>,
    /// What a tablet's credential is held under on the server (`DeviceCache`: the hash of
    /// its token, never the token), so a long-lived request such as its live stream can
    /// check it again without reading the request's headers.
    pub device_credential: Option<String>,
}

impl Caller {
    pub fn visitor() -> Caller {
        Caller::default()
    }
}

/// Why a call was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Denied {
    /// Not signed in.
    Unauthenticated,
    /// Signed in, but no role that the rule admits.
    Forbidden,
    /// Signed in with a password that must be changed first (set by an administrator, or
    /// older than the maximum age).
    PasswordChangeRequired,
}

/// The one endpoint (besides open ones) an account that must change its password may call.
pub const PASSWORD_CHANGE_ENDPOINT: &str = "/api/change_password";

/// Decides a call by the rule alone (data-scope filtering happens in the repository).
pub fn check(rule: &AccessRule, caller: &Caller) -> Result<(), Denied> {
    if caller.account.is_some()
        && caller.must_change_password
        && rule.audience != Audience::Anyone
        && rule.endpoint != PASSWORD_CHANGE_ENDPOINT
    {
        return Err(Denied::PasswordChangeRequired);
    }
    match rule.audience {
        Audience::Anyone => Ok(()),
        Audience::Device if caller.device.is_some() => Ok(()),
        Audience::Device if caller.account.is_some() => Err(Denied::Forbidden),
        Audience::Device => Err(Denied::Unauthenticated),
        Audience::SignedIn if caller.account.is_some() => Ok(()),
        Audience::SignedIn => Err(Denied::Unauthenticated),
        Audience::Roles(_) if caller.account.is_none() => Err(Denied::Unauthenticated),
        audience if audience.admits_signed_in(&caller.roles) => Ok(()),
        Audience::Roles(_) => Err(Denied::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICE_ONLY: AccessRule = AccessRule {
        endpoint: "/api/x",
        audience: Audience::Roles(&[Role::CommitteeOffice]),
        scope: DataScope::OrgSubtree,
    };

    fn signed_in(roles: &[Role]) -> Caller {
        Caller {
            account: Some("a".into()),
            roles: roles.to_vec(),
            ..Caller::default()
        }
    }

    #[test]
    fn visitors_pass_only_open_rules() {
        let open = AccessRule {
            audience: Audience::Anyone,
            ..OFFICE_ONLY
        };
        let signed = AccessRule {
            audience: Audience::SignedIn,
            ..OFFICE_ONLY
        };
        assert_eq!(check(&open, &Caller::visitor()), Ok(()));
        assert_eq!(
            check(&signed, &Caller::visitor()),
            Err(Denied::Unauthenticated)
        );
        assert_eq!(
            check(&OFFICE_ONLY, &Caller::visitor()),
            Err(Denied::Unauthenticated)
        );
    }

    #[test]
    fn roles_are_matched_exactly() {
        assert_eq!(
            check(&OFFICE_ONLY, &signed_in(&[Role::CommitteeOffice])),
            Ok(())
        );
        assert_eq!(
            check(&OFFICE_ONLY, &signed_in(&[Role::Member])),
            Err(Denied::Forbidden)
        );
        // The system administrator does not browse Party data by virtue of being admin.
        assert_eq!(
            check(&OFFICE_ONLY, &signed_in(&[Role::SystemAdmin])),
            Err(Denied::Forbidden)
        );
        assert_eq!(
            check(
                &OFFICE_ONLY,
                &signed_in(&[Role::Member, Role::CommitteeOffice])
            ),
            Ok(())
        );
    }

    #[test]
    fn only_a_tablet_passes_a_device_rule_and_a_tablet_passes_nothing_else() {
        let rule = AccessRule {
            audience: Audience::Device,
            ..OFFICE_ONLY
        };
        let tablet = Caller {
            device: Some("d1".into()),
            ..Caller::default()
        };
        assert_eq!(check(&rule, &tablet), Ok(()));
        assert_eq!(
            check(&rule, &Caller::visitor()),
            Err(Denied::Unauthenticated)
        );
        assert_eq!(
            check(&rule, &signed_in(&[Role::CommitteeOffice])),
            Err(Denied::Forbidden)
        );
        let signed = AccessRule {
            audience: Audience::SignedIn,
            ..OFFICE_ONLY
        };
        assert_eq!(check(&signed, &tablet), Err(Denied::Unauthenticated));
        assert_eq!(check(&OFFICE_ONLY, &tablet), Err(Denied::Unauthenticated));
    }

    #[test]
    fn a_password_that_must_change_opens_only_the_change_and_open_endpoints() {
        let mut caller = signed_in(&[Role::CommitteeOffice]);
        caller.must_change_password = true;
        assert_eq!(
            check(&OFFICE_ONLY, &caller),
            Err(Denied::PasswordChangeRequired)
        );
        let change = AccessRule {
            endpoint: PASSWORD_CHANGE_ENDPOINT,
            audience: Audience::SignedIn,
            ..OFFICE_ONLY
        };
        assert_eq!(check(&change, &caller), Ok(()));
        let open = AccessRule {
            audience: Audience::Anyone,
            ..OFFICE_ONLY
        };
        assert_eq!(check(&open, &caller), Ok(()));
    }
}
