use zhibu_server::db::{self, DbError, Migration};

use crate::support::{spawn_app_with, test_config};

async fn fresh_db() -> app::server::Db {
    let mut config = test_config();
    config.demo_data = false;
    db::connect(&config)
        .await
        .expect("in-memory database opens")
}

#[tokio::test]
async fn applying_migrations_twice_is_a_no_op() {
    let db = fresh_db().await;
    let shipped = db::migrations();
    assert_eq!(db::migrate(&db, &shipped).await.unwrap(), shipped.len());
    assert_eq!(db::migrate(&db, &shipped).await.unwrap(), 0);
    assert!(db::is_ready(&db, &shipped).await);
}

#[tokio::test]
async fn an_edited_migration_is_refused_with_its_name() {
    let db = fresh_db().await;
    let shipped = db::migrations();
    db::migrate(&db, &shipped).await.unwrap();

    let mut edited = shipped.clone();
    edited[1]
        .sql
        .push_str("\nDEFINE FIELD nickname ON member TYPE string;");
    let err = db::migrate(&db, &edited).await.unwrap_err();
    assert!(
        matches!(err, DbError::Edited { ref name, .. } if name == "0002_member"),
        "{err}"
    );
    assert!(err.to_string().contains("0002_member"), "{err}");
    assert!(err.to_string().contains("edited"), "{err}");
    // Nothing from the edited file was applied.
    let mut res = db.query("INFO FOR TABLE member").await.unwrap();
    let info: Option<serde_json::Value> = res
        .take::<Option<surrealdb::types::Value>>(0)
        .unwrap()
        .map(|v| v.into_json_value());
    assert!(!info.unwrap().to_string().contains("nickname"));
}

#[tokio::test]
async fn a_failing_migration_leaves_no_trace() {
    let db = fresh_db().await;
    let broken = vec![Migration::new(
        "0001_broken",
        "DEFINE TABLE half SCHEMAFULL; THROW 'stop here';",
    )];
    let err = db::migrate(&db, &broken).await.unwrap_err();
    assert!(matches!(err, DbError::Failed { .. }), "{err}");
    let mut res = db.query("SELECT VALUE name FROM migration").await.unwrap();
    let names: Vec<String> = res.take(0).unwrap();
    assert!(names.is_empty(), "{names:?}");
}

#[tokio::test]
async fn the_server_refuses_to_start_on_an_edited_migration() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config();
    config.demo_data = false;
    config.database.url = Some(format!("surrealkv://{}", dir.path().join("db").display()));
    {
        let db = db::connect(&config).await.unwrap();
        db::migrate(&db, &db::migrations()).await.unwrap();
        db.query("UPDATE migration SET checksum = 'tampered' WHERE name = '0001_org'")
            .await
            .unwrap()
            .check()
            .unwrap();
    }
    let result = zhibu_server::Application::build(config).await;
    let err = result.err().expect("start-up is refused").to_string();
    assert!(err.contains("0001_org") && err.contains("edited"), "{err}");
}

#[tokio::test]
async fn demo_data_loads_once_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = test_config();
    config.database.url = Some(format!("surrealkv://{}", dir.path().join("db").display()));
    let count = |app: &crate::support::TestApp| {
        let db = app.state.db.clone();
        async move {
            let mut res = db
                .query("SELECT count() AS n FROM member GROUP ALL")
                .await
                .unwrap();
            let n: Option<i64> = res.take((0, "n")).unwrap();
            n.unwrap_or(0)
        }
    };
    let first = spawn_app_with(config.clone()).await;
    let before = count(&first).await;
    // The tests' small hospital (`demo_scale = small`).
    assert!(before > 150, "{before} members");
    // A real record added by a user must survive the next start.
    first
        .state
        .db
        .query("UPDATE org:o0000 SET name = '已改名的党委'")
        .await
        .unwrap()
        .check()
        .unwrap();
    drop(first);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    let second = spawn_app_with(config).await;
    assert_eq!(count(&second).await, before);
    let mut res = second
        .state
        .db
        .query("SELECT VALUE name FROM ONLY org:o0000")
        .await
        .unwrap();
    let name: Option<String> = res.take(0).unwrap();
    assert_eq!(name.as_deref(), Some("已改名的党委"));
}

/// 0019: history lines written as English sentences become kinds with parameters, read
/// back by the same code that reads new lines, in the reader's language.
#[tokio::test]
async fn legacy_history_sentences_become_kinds_with_parameters() {
    use app::i18n::Lang;
    use app::models::member::{Flag, History};
    let db = fresh_db().await;
    let shipped = db::migrations();
    let before: Vec<_> = shipped
        .iter()
        .take_while(|m| m.name != "0019_member_history_kinds")
        .cloned()
        .collect();
    db::migrate(&db, &before).await.unwrap();
    let sentences = [
        "record created",
        "imported",
        "admitted through the pipeline",
        "phone changed",
        "probationary → full",
        "standing: active → suspended",
        "standing: suspended → active",
        "flag on: floating",
        "flag off: hardship",
        "fields: name,phone",
        "position: member → secretary",
        "transfer started: 内科第一党支部 → 外科第一党支部",
        "transfer accepted: 内科第一党支部 → 外科第一党支部",
        "transferred out: 明川市第一人民医院党委",
        "transferred in: 明川市第一人民医院党委",
        "transfer rejected",
        "transfer cancelled",
        "something only a hand-edit wrote",
    ];
    for (i, d) in sentences.iter().enumerate() {
        db.query(
            "CREATE member_event SET member = member:m1, kind = 'x', detail = $d,
                 actor = 'office', at = time::now() + <duration> string::concat(<string> $i, 's')",
        )
        .bind(("d", d.to_string()))
        .bind(("i", i as i64))
        .await
        .unwrap()
        .check()
        .unwrap();
    }
    assert_eq!(
        db::migrate(&db, &shipped).await.unwrap(),
        shipped.len() - before.len()
    );
    let lines = app::server::repo::member::history(&db, "m1").await.unwrap();
    let what: Vec<History> = lines.into_iter().map(|l| l.what).collect();
    assert_eq!(what.len(), sentences.len());
    let expected = vec![
        History::Created,
        History::Imported,
        History::Admitted,
        History::PhoneChanged,
        History::BecameFull,
        History::Suspended,
        History::Restored,
        History::FlagOn {
            flag: Flag::Floating,
        },
        History::FlagOff {
            flag: Flag::Hardship,
        },
        History::Corrected {
            fields: vec!["name".into(), "phone".into()],
        },
        History::Position {
            from: "member".into(),
            to: "secretary".into(),
        },
        History::TransferStarted {
            from: "内科第一党支部".into(),
            to: "外科第一党支部".into(),
        },
        History::TransferAccepted {
            from: "内科第一党支部".into(),
            to: "外科第一党支部".into(),
        },
        History::TransferredOut {
            to: "明川市第一人民医院党委".into(),
        },
        History::TransferredIn {
            from: "明川市第一人民医院党委".into(),
        },
        History::TransferRejected,
        History::TransferCancelled,
        History::Note {
            text: "something only a hand-edit wrote".into(),
        },
    ];
    assert_eq!(what, expected);
    assert_eq!(what[7].text(Lang::Zh), "标记为：流动党员");
    // The sentences are gone from the rows.
    let mut res = db
        .query("SELECT VALUE detail FROM member_event WHERE detail != NONE")
        .await
        .unwrap();
    let left: Vec<String> = res.take(0).unwrap();
    assert!(left.is_empty(), "{left:?}");
}

/// 0020: organisation history lines written as a kind and a detail in words become kinds
/// with parameters, read back as `OrgHistory` and put into words in the reader's language.
#[tokio::test]
async fn legacy_org_history_details_become_kinds_with_parameters() {
    use app::i18n::Lang;
    use app::models::org::OrgHistory;
    use chrono::NaiveDate;
    let db = fresh_db().await;
    let shipped = db::migrations();
    let before: Vec<_> = shipped
        .iter()
        .take_while(|m| m.name != "0020_org_history_kinds")
        .cloned()
        .collect();
    db::migrate(&db, &before).await.unwrap();
    let lines = [
        ("created", "日间病房党支部 @ 内科党总支"),
        ("renamed", "日间病房党支部 → 日间医疗党支部"),
        ("moved", "内科党总支 → 中国共产党明川肿瘤医院委员会"),
        ("departments", "肿瘤内科一病区、肿瘤内科二病区"),
        ("departments", ""),
        ("term", "2024-03-01 – 2027-03-01"),
        ("seat", "张三: member → secretary"),
        ("dissolved", "日间医疗党支部"),
        ("renamed", "a sentence without an arrow"),
    ];
    for (i, (kind, detail)) in lines.iter().enumerate() {
        db.query(
            "CREATE org_event SET org = org:o1, kind = $kind, detail = $detail, actor = 'office',
                 at = time::now() + <duration> string::concat(<string> $i, 's')",
        )
        .bind(("kind", kind.to_string()))
        .bind(("detail", detail.to_string()))
        .bind(("i", i as i64))
        .await
        .unwrap()
        .check()
        .unwrap();
    }
    // 0020 and every migration after it.
    assert_eq!(
        db::migrate(&db, &shipped).await.unwrap(),
        shipped.len() - before.len()
    );
    let mut res = db
        .query("SELECT VALUE what FROM org_event ORDER BY at")
        .await
        .unwrap();
    let what: Vec<OrgHistory> = res.take(0).unwrap();
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let text = |s: &str| s.to_string();
    assert_eq!(
        what,
        vec![
            OrgHistory::Created {
                name: text("日间病房党支部"),
                parent: text("内科党总支")
            },
            OrgHistory::Renamed {
                from: text("日间病房党支部"),
                to: text("日间医疗党支部")
            },
            OrgHistory::Moved {
                from: text("内科党总支"),
                to: text("中国共产党明川肿瘤医院委员会")
            },
            OrgHistory::Departments {
                list: vec![text("肿瘤内科一病区"), text("肿瘤内科二病区")]
            },
            OrgHistory::Departments { list: vec![] },
            OrgHistory::Term {
                start: date(2024, 3, 1),
                end: date(2027, 3, 1)
            },
            OrgHistory::Seat {
                member: text("张三"),
                from: text("member"),
                to: text("secretary")
            },
            OrgHistory::Dissolved {
                name: text("日间医疗党支部")
            },
            OrgHistory::Note {
                text: text("a sentence without an arrow")
            },
        ]
    );
    assert_eq!(what[6].text(Lang::Zh), "张三：党员 → 书记");
    assert_eq!(what[0].text(Lang::En), "日间病房党支部 (under 内科党总支)");
    // The old columns are gone from the rows.
    let mut res = db
        .query("SELECT VALUE detail FROM org_event WHERE detail != NONE OR kind != NONE")
        .await
        .unwrap();
    let left: Vec<String> = res.take(0).unwrap();
    assert!(left.is_empty(), "{left:?}");
}

/// A database with courses from before search (issue 15, step 3) is upgraded: the index is
/// defined over rows that exist, and those rows are indexed when a server starts.
#[tokio::test]
async fn learning_search_is_added_to_a_database_that_has_courses() {
    let db = fresh_db().await;
    let shipped = db::migrations();
    let at = shipped
        .iter()
        .position(|m| m.name == "0039_learning_search")
        .unwrap();
    db::migrate(&db, &shipped[..at]).await.unwrap();
    db.query(
        "CREATE org:so1 CONTENT { name: '升级测试党委', kind: 'committee' };
         CREATE course:old1 CONTENT { org: org:so1, title: '升级前的课程', summary: '关于三会一课',
             category: 'theory', tags: [], state: 'published', required: false,
             created_by: 'office', created_at: time::now(), updated_by: 'office',
             updated_at: time::now() };
         CREATE chapter:oldc CONTENT { course: course:old1, position: 0, title: '第一章' };
         CREATE item:oldi CONTENT { course: course:old1, chapter: chapter:oldc, position: 0,
             kind: 'article', title: '旧文章', body: '主题党日', html: '<p>主题党日</p>',
             text: '主题党日', updated_by: 'office', updated_at: time::now() };",
    )
    .await
    .unwrap()
    .check()
    .unwrap();
    assert_eq!(
        db::migrate(&db, &shipped).await.unwrap(),
        shipped.len() - at
    );
    let indexed = app::server::service::learning::index_unindexed(&db)
        .await
        .unwrap();
    assert_eq!(indexed, 2, "the course and its article");
    let mut res = db
        .query(
            "SELECT VALUE record::id(id) FROM course WHERE search @1@ '三会一课';
             SELECT VALUE record::id(id) FROM item WHERE search @1@ '主题党日';",
        )
        .await
        .unwrap();
    let courses: Vec<String> = res.take(0).unwrap();
    let items: Vec<String> = res.take(1).unwrap();
    assert_eq!(courses, vec!["old1"]);
    assert_eq!(items, vec!["oldi"]);
    assert_eq!(index_again(&db).await, 0, "nothing is indexed twice");
}

async fn index_again(db: &app::server::Db) -> usize {
    app::server::service::learning::index_unindexed(db)
        .await
        .unwrap()
}
