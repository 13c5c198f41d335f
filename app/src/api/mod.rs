//! Server functions: thin endpoints. Each body is `let ctx = begin(&RULE).await?;` and
//! one call into `server::service::<module>`; no api module imports another.
//!
//! Every server function has a fixed path under `/api/` so that tests, logs and the
//! access inventory can name it.

pub mod account;
pub mod admin;
pub mod appraisal;
pub mod assessment;
pub mod audit;
pub mod files;
pub mod import;
pub mod learning;
pub mod meeting;
pub mod member;
pub mod notification;
pub mod org;
pub mod pipeline;
pub mod points;
pub mod quiz;
pub mod reflection;
pub mod required;
pub mod room;
pub mod transfer;
pub mod wire;

use crate::access::AccessRule;

/// Every server function's access rule. The inventory test compares this list with the
/// endpoints actually registered, in both directions.
pub const ACCESS_RULES: &[AccessRule] = &[
    account::LOGIN,
    account::LOGOUT,
    account::GET_SESSION,
    account::CHANGE_PASSWORD,
    admin::LIST_ACCOUNTS,
    admin::LIST_ORG_CHOICES,
    admin::CREATE_ACCOUNT,
    admin::SET_ACCOUNT_ROLES,
    admin::SET_ACCOUNT_DISABLED,
    admin::RESET_ACCOUNT_PASSWORD,
    audit::SEARCH_AUDIT,
    audit::VERIFY_AUDIT_CHAIN,
    audit::EXPORT_AUDIT,
    meeting::SCHEDULE_MEETING,
    meeting::LIST_MEETINGS,
    meeting::GET_MEETING,
    meeting::MARK_ATTENDANCE,
    meeting::SIGN_IN_MEETING,
    meeting::REQUEST_LEAVE,
    meeting::DECIDE_LEAVE,
    meeting::SAVE_MINUTES,
    meeting::SET_MEETING_FILES,
    meeting::SET_MEETING_PEOPLE,
    meeting::APPROVE_MINUTES,
    meeting::MEETING_GRID,
    meeting::MEETING_LEDGER,
    meeting::EXPORT_LEDGER,
    meeting::GET_MEETING_RULES,
    meeting::SAVE_MEETING_RULES,
    meeting::MEETING_LIVE,
    meeting::MEETING_SCREEN,
    room::LIST_ROOMS,
    room::SAVE_ROOM,
    room::PAIR_TABLET,
    room::REVOKE_TABLET,
    room::START_PAIRING,
    room::TABLET_TODAY,
    room::TABLET_SIGN_IN,
    room::TABLET_LIVE,
    room::SET_PIN,
    room::PIN_STATUS,
    appraisal::LIST_APPRAISALS,
    appraisal::OPEN_APPRAISAL,
    appraisal::GET_APPRAISAL,
    appraisal::SUBMIT_SELF_ASSESSMENT,
    appraisal::CAST_BALLOT,
    appraisal::ADVANCE_APPRAISAL,
    appraisal::DECIDE_APPRAISAL,
    member::GET_MEMBER,
    member::REVEAL_MEMBER_FIELD,
    member::LIST_MEMBERS,
    member::UPDATE_MEMBER_PHONE,
    member::EXPORT_MEMBERS,
    member::CHANGE_MEMBER_STATUS,
    member::CREATE_MEMBER,
    member::UPDATE_MEMBER,
    org::GET_ORG_TREE,
    org::GET_ORG_OUTLINE,
    org::GET_ORG_CHILDREN,
    org::GET_ORG_DETAIL,
    org::GET_PUBLIC_SUMMARY,
    org::CREATE_ORG,
    org::CHANGE_ORG,
    org::UPDATE_BRANCH,
    org::ASSIGN_SEAT,
    pipeline::LIST_PIPELINE,
    pipeline::GET_CANDIDATE,
    pipeline::CREATE_CANDIDATE,
    pipeline::RECORD_STEP,
    transfer::START_TRANSFER,
    transfer::RESOLVE_TRANSFER,
    transfer::LIST_TRANSFERS,
    transfer::GET_TRANSFER,
    transfer::TRANSFER_IN,
    import::IMPORT_MEMBERS,
    import::GET_IMPORT,
    import::COMMIT_IMPORT,
    assessment::LIST_PERIODS,
    assessment::GET_PERIOD,
    assessment::SAVE_PERIOD,
    assessment::CLOSE_PERIOD,
    assessment::LIST_TASKS,
    assessment::GET_TASK,
    assessment::SAVE_TASK,
    assessment::CHANGE_TASK,
    assessment::LIST_ASSIGNMENTS,
    assessment::PICK_RECORDS,
    assessment::GET_ASSIGNMENT,
    assessment::ANSWER_ASSIGNMENT,
    assessment::REVIEW_ASSIGNMENT,
    assessment::LIST_RECTIFICATIONS,
    assessment::RECTIFY,
    assessment::RAISE_FINDING,
    assessment::GET_RANKING,
    assessment::GET_BRANCH_ASSESSMENT,
    assessment::EXPORT_RANKING,
    assessment::EXPORT_BRANCH_ASSESSMENT,
    assessment::GET_INBOX,
    notification::GET_NOTIFICATIONS,
    notification::MARK_NOTIFICATIONS_READ,
    files::UPLOAD_FILE,
    files::DOWNLOAD_FILE,
    files::LIST_FILES,
    learning::LIST_COURSES,
    learning::GET_COURSE,
    learning::SAVE_COURSE,
    learning::PUBLISH_COURSE,
    learning::SAVE_CHAPTER,
    learning::SAVE_ARTICLE,
    learning::GET_ITEM,
    learning::PREVIEW_MARKDOWN,
    learning::REPORT_PROGRESS,
    learning::LEARNING_RECORD,
    quiz::LIST_QUESTIONS,
    quiz::SAVE_QUESTION,
    quiz::IMPORT_QUESTIONS,
    quiz::DELETE_QUESTION,
    quiz::SAVE_EXAM,
    quiz::GET_EXAM,
    quiz::START_ATTEMPT,
    quiz::GET_ATTEMPT,
    quiz::SUBMIT_ATTEMPT,
    required::LIST_REQUIRED,
    required::GET_REQUIREMENT,
    required::EXPORT_REQUIRED,
    required::SAVE_REQUIREMENT,
    required::DELETE_REQUIREMENT,
    points::MY_POINTS,
    points::BRANCH_POINTS,
    points::SAVE_POINT_SETTINGS,
    reflection::LIST_REFLECTIONS,
    reflection::SAVE_REFLECTION,
    reflection::SHARE_REFLECTION,
];
