//! One demo account per role (demo mode only).

use surrealdb::types::RecordId;

use super::{DEMO_PASSWORD, Dataset};
use crate::models::org::{OrgKind, Position};

/// One demo account per role. The branch secretary serves on the first branch and is linked
/// to its secretary's member record; the member account to an ordinary member of it. A
/// second branch-committee account serves on the first general branch (党总支), above
/// that branch: it issues tasks to its own branches and reviews their answers.
pub async fn accounts(
    data: &Dataset,
    passwords: &crate::server::auth::Passwords,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<crate::server::repo::account::NewAccount>, String> {
    use crate::access::Role;
    use crate::server::repo::account::NewAccount;
    let branch = data
        .orgs
        .iter()
        .find(|o| o.kind == OrgKind::Branch.as_str())
        .ok_or("no branch in the demo data")?;
    let in_branch = |position: Position| {
        data.members
            .iter()
            .find(|m| m.org == branch.id && m.position == position.as_str())
            .map(|m| (m.id.clone(), m.name.clone()))
    };
    let general = data
        .orgs
        .iter()
        .find(|o| o.kind == OrgKind::GeneralBranch.as_str())
        .ok_or("no general branch in the demo data")?;
    let secretary = in_branch(Position::Secretary);
    let member = in_branch(Position::Member);
    let hash = passwords.hash(DEMO_PASSWORD.to_string()).await?;
    let specs: [(&str, String, Role, Vec<RecordId>, Option<RecordId>); 7] = [
        (
            "office",
            "党委组织部（演示）".into(),
            Role::CommitteeOffice,
            vec![],
            None,
        ),
        (
            "secretary",
            secretary.as_ref().map_or("支部书记（演示）".into(), |s| {
                format!("{}（演示）", s.1)
            }),
            Role::BranchCommittee,
            vec![branch.id.clone()],
            secretary.map(|s| s.0),
        ),
        (
            "general",
            format!("{}书记（演示）", general.name),
            Role::BranchCommittee,
            vec![general.id.clone()],
            None,
        ),
        (
            "member",
            member
                .as_ref()
                .map_or("党员（演示）".into(), |m| format!("{}（演示）", m.1)),
            Role::Member,
            vec![],
            member.map(|m| m.0),
        ),
        (
            "sysadmin",
            "系统管理员（演示）".into(),
            Role::SystemAdmin,
            vec![],
            None,
        ),
        (
            "secadmin",
            "安全管理员（演示）".into(),
            Role::SecurityAdmin,
            vec![],
            None,
        ),
        (
            "auditor",
            "安全审计员（演示）".into(),
            Role::SecurityAuditor,
            vec![],
            None,
        ),
    ];
    Ok(specs
        .into_iter()
        .map(|(username, display_name, role, orgs, member)| NewAccount {
            username: username.into(),
            display_name,
            password_hash: hash.clone(),
            roles: vec![role.as_str().into()],
            orgs,
            member,
            must_change_password: false,
            demo: true,
            password_changed_at: now,
        })
        .collect())
}
