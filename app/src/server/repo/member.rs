//! SurrealQL for members.

use chrono::NaiveDate;
use surrealdb::types::{RecordId, SurrealValue};

use crate::models::member::{Flag, Gender, History, MemberStatus, Standing, StatusAction};
use crate::models::member_form::ValidMember;
use crate::models::org::Position;
use crate::server::Db;
use crate::server::audit::Change;
use crate::server::repo::Stamp;

/// A member's record as stored, with the organisation's name.
#[derive(Debug, SurrealValue)]
pub struct MemberRow {
    pub id: RecordId,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub org: RecordId,
    pub org_name: String,
    pub position: Position,
    pub status: MemberStatus,
    pub admission_date: NaiveDate,
    pub full_date: Option<NaiveDate>,
    pub phone: String,
    pub id_number: String,
    pub flags: Vec<Flag>,
    pub party_group: Option<RecordId>,
    pub dual_leader: bool,
    pub standing: Standing,
    pub application_date: Option<NaiveDate>,
}

/// One member, or `None` when there is no such record.
#[tracing::instrument(skip(db))]
pub async fn find(db: &Db, key: &str) -> surrealdb::Result<Option<MemberRow>> {
    let mut res = db
        .query(
            "SELECT id, name, gender, birth_date, ethnicity, education, department, title, org,
                    org.name AS org_name, position, status, admission_date, full_date, phone,
                    id_number, flags, party_group, dual_leader ?? false AS dual_leader, standing, application_date
             FROM ONLY type::record('member', $key)",
        )
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// The member record carrying this ID number, if any (any standing).
#[tracing::instrument(skip_all)]
pub async fn by_id_number(db: &Db, id_number: &str) -> surrealdb::Result<Option<RecordId>> {
    let mut res = db
        .query("SELECT VALUE id FROM member WHERE id_number = $n LIMIT 1")
        .bind(("n", id_number.to_string()))
        .await?
        .check()?;
    let ids: Vec<RecordId> = res.take(0)?;
    Ok(ids.into_iter().next())
}

/// Every ID number on the roster (any standing).
#[tracing::instrument(skip_all)]
pub async fn id_numbers(db: &Db) -> surrealdb::Result<Vec<String>> {
    let mut res = db
        .query("SELECT VALUE id_number FROM member")
        .await?
        .check()?;
    res.take(0)
}

/// Pinyin initials of a name, lower case (张三 → zs); other characters are kept as they are
/// (lower-cased letters and digits) or dropped.
pub fn name_initials(name: &str) -> String {
    use pinyin::ToPinyin;
    name.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// Fills in missing pinyin initials (demo data, records written before the field existed).
#[tracing::instrument(skip(db))]
pub async fn backfill_initials(db: &Db) -> surrealdb::Result<usize> {
    #[derive(SurrealValue)]
    struct Missing {
        id: RecordId,
        name: String,
    }
    #[derive(SurrealValue)]
    struct Fill {
        id: RecordId,
        initials: String,
    }
    let mut res = db
        .query("SELECT id, name FROM member WHERE name_initials = '' OR name_initials = NONE")
        .await?
        .check()?;
    let missing: Vec<Missing> = res.take(0)?;
    let n = missing.len();
    for chunk in missing.chunks(1000) {
        let fills: Vec<Fill> = chunk
            .iter()
            .map(|m| Fill {
                id: m.id.clone(),
                initials: name_initials(&m.name),
            })
            .collect();
        db.query("FOR $f IN $fills { UPDATE $f.id SET name_initials = $f.initials }")
            .bind(("fills", fills))
            .await?
            .check()?;
    }
    Ok(n)
}

/// A roster line as stored.
#[derive(Debug, SurrealValue)]
pub struct LineRow {
    pub id: RecordId,
    pub name: String,
    pub gender: Gender,
    pub department: String,
    pub org: RecordId,
    pub org_name: String,
    pub position: Position,
    pub status: MemberStatus,
    pub admission_date: NaiveDate,
    pub flags: Vec<Flag>,
    pub phone: String,
    pub id_number: String,
    pub name_initials: String,
    pub roster_key: Option<String>,
}

/// The filtered roster: one page of lines and the counts by status of the whole set.
/// `orgs`: the organisations in scope (`None`: all).
pub struct RosterFilter<'a> {
    pub orgs: Option<Vec<RecordId>>,
    pub q: &'a str,
    pub status: &'a str,
    pub flag: &'a str,
    pub department: &'a str,
    pub sort: &'a str,
}

#[tracing::instrument(skip(db, filter))]
pub async fn roster(
    db: &Db,
    filter: &RosterFilter<'_>,
    start: i64,
    limit: i64,
) -> surrealdb::Result<(Vec<LineRow>, Vec<(String, i64)>)> {
    #[derive(SurrealValue)]
    struct Count {
        status: String,
        n: i64,
    }
    let q = filter.q.trim();
    let id_tail = crate::models::member::is_id_tail(q);
    let initials = !id_tail && !q.is_empty() && q.chars().all(|c| c.is_ascii_alphanumeric());
    let scoped = filter.orgs.is_some();
    let mut conds = Vec::new();
    // Where the rows come from. A branch, a flag or a department is a few hundred members
    // at most, read through its own index and then filtered and sorted. The whole hospital
    // is walked in the order of an index over members in good standing (`roster_*`), so a
    // page costs about its own size instead of a scan and sort of every member; a search
    // reads its matches through the name, initials or ID-tail index and sorts them.
    let subset = if scoped {
        Some("(SELECT * FROM member WHERE org IN $orgs)".to_string())
    } else if !filter.flag.is_empty() {
        // Each known flag has its own key (schema 0015); an unknown flag matches nobody.
        Some(
            Flag::parse(filter.flag.trim())
                .map(Flag::as_str)
                .map_or("[]".to_string(), |f| {
                    format!(
                        "(SELECT * FROM member WITH INDEX member_roster_{f} WHERE roster_{f} >= '')"
                    )
                }),
        )
    } else if !filter.department.is_empty() {
        Some(
            "(SELECT * FROM member WITH INDEX member_department WHERE department = $department)"
                .to_string(),
        )
    } else {
        None
    };
    let source = if let Some(subset) = &subset {
        conds.push("standing = 'active'");
        subset.as_str()
    } else if id_tail {
        // The reversed ID number turns "ends with" into an index range.
        conds.push("roster_id_rev >= $tail_rev AND roster_id_rev < $tail_rev_end");
        "member WITH INDEX member_roster_id"
    } else if !q.is_empty() && !initials {
        // Hospital-wide, a name matches from its start (a surname or the whole name) or
        // from its second character (a given name): two index ranges, joined.
        conds.push("standing = 'active'");
        "array::union(
             (SELECT * FROM member WITH INDEX member_roster_name
              WHERE roster_name >= $q AND roster_name < $q_end),
             (SELECT * FROM member WITH INDEX member_roster_given
              WHERE roster_given >= $q AND roster_given < $q_end))"
    } else if initials {
        conds.push("roster_key >= $initials AND roster_key < $initials_end");
        "member WITH INDEX member_roster"
    } else if filter.sort == "admission" {
        conds.push("roster_admission >= ''");
        "member WITH INDEX member_roster_admission"
    } else if filter.sort == "org" {
        conds.push("roster_org >= ''");
        "member WITH INDEX member_roster_org"
    } else {
        conds.push("roster_key >= ''");
        "member WITH INDEX member_roster"
    };
    if !filter.status.is_empty() {
        conds.push("status = $status");
    }
    if !filter.flag.is_empty() {
        conds.push("$flag IN flags");
    }
    if !filter.department.is_empty() {
        conds.push("department = $department");
    }
    // Inside a subset the search is a filter over its rows.
    if subset.is_some() && id_tail {
        conds.push("string::ends_with(string::uppercase(id_number), $tail)");
    } else if subset.is_some() && initials {
        conds.push("(string::contains(name, $q) OR string::starts_with(name_initials, $initials))");
    } else if subset.is_some() && !q.is_empty() {
        conds.push("string::contains(name, $q)");
    }
    let order = match filter.sort {
        "admission" => "roster_admission",
        "org" => "roster_org",
        _ => "roster_key",
    };
    let clause = conds.join(" AND ");
    // Counts without a search, flag or department filter come from the tallies the
    // database keeps per organisation and status.
    let tallied = q.is_empty() && filter.flag.is_empty() && filter.department.is_empty();
    let count_sql = if tallied {
        let mut tally = Vec::new();
        if scoped {
            tally.push("org IN $orgs");
        }
        if !filter.status.is_empty() {
            tally.push("status = $status");
        }
        let tally_where = if tally.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", tally.join(" AND "))
        };
        format!("SELECT status, math::sum(n) AS n FROM member_tally {tally_where} GROUP BY status;")
    } else {
        format!("SELECT status, count() AS n FROM {source} WHERE {clause} GROUP BY status;")
    };
    let sql = format!(
        "SELECT id, name, gender, department, org, org.name AS org_name, position, status,
                admission_date, flags, phone, id_number, name_initials, roster_key,
                roster_admission, roster_org
         FROM {source} WHERE {clause} ORDER BY {order} LIMIT $limit START $start;
         {count_sql}"
    );
    let lower = q.to_lowercase();
    let mut res = db
        .query(sql)
        .bind(("orgs", filter.orgs.clone().unwrap_or_default()))
        .bind(("status", filter.status.to_string()))
        .bind(("flag", filter.flag.to_string()))
        .bind(("department", filter.department.to_string()))
        .bind(("tail", q.to_uppercase()))
        .bind(("q", q.to_string()))
        .bind(("initials_end", format!("{lower}\u{10FFFF}")))
        .bind(("q_end", format!("{q}\u{10FFFF}")))
        .bind((
            "tail_rev",
            q.to_uppercase().chars().rev().collect::<String>(),
        ))
        .bind((
            "tail_rev_end",
            format!(
                "{}\u{10FFFF}",
                q.to_uppercase().chars().rev().collect::<String>()
            ),
        ))
        .bind(("initials", lower))
        .bind(("limit", limit))
        .bind(("start", start))
        .await?
        .check()?;
    let rows: Vec<LineRow> = res.take(0)?;
    let counts: Vec<Count> = res.take(1)?;
    Ok((rows, counts.into_iter().map(|c| (c.status, c.n)).collect()))
}

/// One entry of a member's history.
#[derive(Debug, SurrealValue)]
pub struct EventRow {
    pub kind: String,
    pub what: History,
    pub reason: String,
    pub effective: Option<NaiveDate>,
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[tracing::instrument(skip(db))]
pub async fn history(db: &Db, key: &str) -> surrealdb::Result<Vec<EventRow>> {
    let mut res = db
        .query(
            "SELECT kind, what, reason, effective, actor, at FROM member_event
             WHERE member = type::record('member', $key) ORDER BY at",
        )
        .bind(("key", key.to_string()))
        .await?
        .check()?;
    res.take(0)
}

/// A whole member record as inserted in bulk: the import, the demo generator and test
/// fixtures.
#[derive(Clone, Debug, SurrealValue)]
pub struct MemberInsert {
    pub id: RecordId,
    pub name: String,
    /// Pinyin initials for the roster search (张三 → zs).
    pub name_initials: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub education: String,
    pub department: String,
    pub title: String,
    pub phone: String,
    pub id_number: String,
    pub org: RecordId,
    pub party_group: Option<RecordId>,
    pub position: Position,
    pub status: MemberStatus,
    pub application_date: Option<NaiveDate>,
    pub admission_date: NaiveDate,
    pub full_date: Option<NaiveDate>,
    pub standing: Standing,
    pub flags: Vec<Flag>,
    pub dual_leader: bool,
}

/// Inserts members in chunks of 100, each chunk one statement: one statement with 10,000
/// rows took 11.5 minutes in a debug build (the cost grew with the square of its size);
/// chunks keep it linear (100 rather than 500: the demo hospital loads in 4.0 s instead of
/// 4.6 s on the tests' in-memory engine).
pub async fn insert_many(db: &Db, members: &[MemberInsert]) -> surrealdb::Result<()> {
    for chunk in members.chunks(100) {
        db.query("INSERT INTO member $members")
            .bind(("members", chunk.to_vec()))
            .await?
            .check()?;
    }
    Ok(())
}

/// A valid record as SurrealDB receives it.
#[derive(SurrealValue)]
struct ValidRow {
    name: String,
    gender: Gender,
    birth_date: chrono::NaiveDate,
    ethnicity: String,
    education: String,
    department: String,
    title: String,
    phone: String,
    id_number: String,
    status: MemberStatus,
    application_date: Option<chrono::NaiveDate>,
    admission_date: chrono::NaiveDate,
    full_date: Option<chrono::NaiveDate>,
}

impl From<&ValidMember> for ValidRow {
    fn from(v: &ValidMember) -> ValidRow {
        ValidRow {
            name: v.name.clone(),
            gender: v.gender,
            birth_date: v.birth_date,
            ethnicity: v.ethnicity.clone(),
            education: v.education.clone(),
            department: v.department.clone(),
            title: v.title.clone(),
            phone: v.phone.clone(),
            id_number: v.id_number.clone(),
            status: v.status,
            application_date: v.application_date,
            admission_date: v.admission_date,
            full_date: v.full_date,
        }
    }
}

/// `sql` over `$member` and `$v` (the valid record), with the history line.
fn with_history(
    sql: &str,
    member: RecordId,
    valid: &ValidMember,
    kind: &str,
    what: History,
    by: Stamp,
) -> Change {
    Change::new(format!(
        "{sql}
         CREATE member_event SET member = $member, kind = $kind, what = $what,
             actor = $actor, at = $now;"
    ))
    .bind("member", member)
    .bind("v", ValidRow::from(valid))
    .bind("initials", name_initials(&valid.name))
    .bind("kind", kind.to_string())
    .bind("what", what)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// Creates the member record `member` in branch `org`, with its first history line. Other
/// changes joined to it may use `$member`, `$v`, `$org`, `$actor` and `$now`.
pub fn create(member: RecordId, org: RecordId, valid: &ValidMember, by: Stamp) -> Change {
    with_history(
        "CREATE $member CONTENT {
             name: $v.name, name_initials: $initials, gender: $v.gender, birth_date: $v.birth_date,
             ethnicity: $v.ethnicity, education: $v.education, department: $v.department,
             title: $v.title, phone: $v.phone, id_number: $v.id_number, org: $org,
             position: 'member', status: $v.status, application_date: $v.application_date,
             admission_date: $v.admission_date, full_date: $v.full_date, standing: 'active',
             flags: [], dual_leader: false
         };",
        member,
        valid,
        "created",
        History::Created,
        by,
    )
    .bind("org", org)
}

/// Corrects a member's record (not status, branch or standing), with the history line.
pub fn correct(member: RecordId, valid: &ValidMember, what: History, by: Stamp) -> Change {
    with_history(
        "UPDATE $member MERGE {
             name: $v.name, name_initials: $initials, gender: $v.gender, birth_date: $v.birth_date,
             ethnicity: $v.ethnicity, education: $v.education, department: $v.department,
             title: $v.title, phone: $v.phone, id_number: $v.id_number,
             application_date: $v.application_date, admission_date: $v.admission_date,
             full_date: $v.full_date
         };",
        member,
        valid,
        "edit",
        what,
        by,
    )
}

/// Sets the mobile number, with a history line that does not hold it.
pub fn set_phone(member: RecordId, phone: String, reason: String, by: Stamp) -> Change {
    Change::new(
        "UPDATE $member SET phone = $phone;
         CREATE member_event SET member = $member, kind = 'contact', what = { kind: 'phone_changed' },
             reason = $reason, actor = $actor, at = $now;",
    )
    .bind("member", member)
    .bind("phone", phone)
    .bind("reason", reason)
    .bind("actor", by.actor)
    .bind("now", by.now)
}

/// A status action (转正, a flag on or off, 停止/恢复党籍) effective on `date`, with the
/// history line of `kind` and `what`.
pub fn change_status(
    act: StatusAction,
    member: RecordId,
    date: NaiveDate,
    kind: &str,
    what: History,
    reason: String,
    by: Stamp,
) -> Change {
    let (sql, flag) = match act {
        StatusAction::ToFull => (
            "UPDATE $member SET status = 'full', full_date = $date;",
            None,
        ),
        StatusAction::FlagOn(f) => (
            "UPDATE $member SET flags = array::union(flags, [$flag]);",
            Some(f),
        ),
        StatusAction::FlagOff(f) => (
            "UPDATE $member SET flags = array::complement(flags, [$flag]);",
            Some(f),
        ),
        StatusAction::Suspend => ("UPDATE $member SET standing = 'suspended';", None),
        StatusAction::Restore => ("UPDATE $member SET standing = 'active';", None),
    };
    Change::new(format!(
        "{sql}
         CREATE member_event SET member = $member, kind = $kind, what = $what,
             reason = $reason, effective = $date, actor = $actor, at = $now;"
    ))
    .bind("member", member)
    .bind("date", date)
    .bind("flag", flag)
    .bind("kind", kind.to_string())
    .bind("what", what)
    .bind("reason", reason)
    .bind("actor", by.actor)
    .bind("now", by.now)
}
