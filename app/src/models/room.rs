//! Meeting rooms and their tablets (issue 14): the committee office registers rooms, pairs a
//! tablet with a room by a short one-time code, and revokes it; a paired tablet shows its
//! room's meetings of the day and records sign-ins, each confirmed by the member's PIN.

use serde::{Deserialize, Serialize};

use crate::models::meeting::{Attendance, MeetingKind};

/// Characters of a pairing code: digits only, so a tablet's code is read aloud and typed
/// on any keyboard.
pub const PAIRING_CODE_LEN: usize = 6;
/// How long a tablet's pairing code may be entered.
pub const PAIRING_MINUTES: i64 = 10;
/// Wrong PINs in a row before the PIN is locked.
pub const PIN_ATTEMPTS: u32 = 5;
/// How long a locked PIN stays locked.
pub const PIN_LOCK_MINUTES: i64 = 15;

/// A registered meeting room, with its tablets (the committee office sees them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRow {
    pub id: String,
    pub name: String,
    pub location: String,
    /// Paired tablets (only for the committee office; empty for others).
    pub tablets: Vec<TabletRow>,
}

/// A tablet paired with a room.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletRow {
    pub id: String,
    pub label: String,
    pub paired_by: String,
    /// When it was paired, `YYYY-MM-DD HH:MM` China time.
    pub paired_at: String,
    /// When it last asked for anything, `YYYY-MM-DD HH:MM` China time (or empty).
    pub last_seen: String,
}

/// Input of `save_room`: a new room (`id` empty) or a changed one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomInput {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub location: String,
}

/// Input of `pair_tablet`: the code the tablet shows, the room it goes to, and a label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairInput {
    pub room: String,
    pub code: String,
    #[serde(default)]
    pub label: String,
}

/// Input of `set_pin`: the member's new sign-in PIN.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinInput {
    pub pin: String,
}

/// Input of `tablet_sign_in`: who signs in to which meeting, confirmed by their PIN;
/// `client_id` is made on the tablet, so a sign-in queued offline and sent twice counts once.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletSignInInput {
    pub meeting: String,
    pub member: String,
    pub pin: String,
    pub client_id: String,
}

/// What a tablet shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TabletView {
    /// Not paired yet: the code to give to the committee office, valid until `until`
    /// (`HH:MM` China time).
    Pending { code: String, until: String },
    /// Paired: the room and its meetings of the day, in order of time.
    Paired {
        room: String,
        today: String,
        meetings: Vec<TabletMeeting>,
    },
}

/// One meeting on a tablet, with everybody expected and how each stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletMeeting {
    pub id: String,
    pub kind: MeetingKind,
    pub org_name: String,
    pub time: String,
    pub topic: String,
    pub agenda: String,
    pub host: String,
    pub attendees: Vec<TabletAttendee>,
    pub present: u32,
    pub expected: u32,
    /// A QR code (SVG markup drawn by the server) of the meeting's page, where a member
    /// signs in on their own phone; empty when the server cannot tell its address.
    #[serde(default)]
    pub qr: String,
}

/// The answer to a sign-in at the tablet: accepted, who at which meeting. Small on
/// purpose (a room's burst answers in milliseconds); the count and the rest of the list
/// reach the tablet by its live stream. The attendance is written just after the answer
/// (`server::pending_writes`): the tablet keeps the sign-in until the stream shows the
/// attendee present.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletSignedIn {
    pub meeting: String,
    pub member: String,
}

/// One expected attendee on a tablet: a name to tap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TabletAttendee {
    pub member: String,
    pub name: String,
    /// `None` until recorded.
    pub status: Option<Attendance>,
    /// Whether the member has set a PIN (else they sign in by phone, or the recorder marks
    /// them).
    pub has_pin: bool,
}

/// What every screen following a meeting live receives (the tablet, the projector view,
/// the secretary's page): a full snapshot each time, never a difference, so a lost event
/// costs nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveSnapshot {
    pub meeting: String,
    pub topic: String,
    pub expected: u32,
    pub present: u32,
    pub leave: u32,
    /// Names of those present, in the order of the attendee list.
    pub present_names: Vec<String>,
    /// Member keys of those present.
    pub present_members: Vec<String>,
}

/// Whether a `Host` header is a plain host name or address with an optional port
/// (letters, digits, `.`, `-`, `:`, `[`, `]`): what may go into the QR code's address.
pub fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

/// A pairing code as typed: six digits, spaces and dashes ignored.
pub fn normalize_code(code: &str) -> Option<String> {
    let digits: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == PAIRING_CODE_LEN && digits.chars().all(|c| c.is_ascii_digit()))
        .then_some(digits)
}

/// Why a PIN is refused, as a field error key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinProblem {
    /// Not 4 to 6 digits.
    Shape,
    /// All one digit, or a run (1234, 9876): the first thing anyone tries.
    Guessable,
}

/// Checks a new PIN: 4 to 6 digits, not one digit repeated, not a run up or down.
pub fn check_pin(pin: &str) -> Result<(), PinProblem> {
    let digits: Vec<u32> = pin.chars().filter_map(|c| c.to_digit(10)).collect();
    if !(4..=6).contains(&pin.chars().count()) || digits.len() != pin.chars().count() {
        return Err(PinProblem::Shape);
    }
    let same = digits.windows(2).all(|w| w[0] == w[1]);
    let up = digits.windows(2).all(|w| w[1] == (w[0] + 1) % 10);
    let down = digits.windows(2).all(|w| w[0] == (w[1] + 1) % 10);
    if same || up || down {
        return Err(PinProblem::Guessable);
    }
    Ok(())
}

/// A room's name: 1–50 characters after trimming; its location at most 100.
pub fn check_room(input: &RoomInput) -> Result<RoomInput, &'static str> {
    let name = input.name.trim();
    let location = input.location.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err("name");
    }
    if location.chars().count() > 100 {
        return Err("location");
    }
    Ok(RoomInput {
        id: input.id.trim().to_string(),
        name: name.to_string(),
        location: location.to_string(),
    })
}

/// The snapshot of a meeting from its attendee list.
pub fn snapshot(meeting: &str, topic: &str, attendees: &[TabletAttendee]) -> LiveSnapshot {
    let present: Vec<&TabletAttendee> = attendees
        .iter()
        .filter(|a| a.status == Some(Attendance::Present))
        .collect();
    LiveSnapshot {
        meeting: meeting.to_string(),
        topic: topic.to_string(),
        expected: attendees.len() as u32,
        present: present.len() as u32,
        leave: attendees
            .iter()
            .filter(|a| a.status == Some(Attendance::Leave))
            .count() as u32,
        present_names: present.iter().map(|a| a.name.clone()).collect(),
        present_members: present.iter().map(|a| a.member.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairing_codes_are_six_digits_however_typed() {
        assert_eq!(normalize_code("123 456").as_deref(), Some("123456"));
        assert_eq!(normalize_code("123-456").as_deref(), Some("123456"));
        assert_eq!(normalize_code("12345"), None);
        assert_eq!(normalize_code("12345a"), None);
        assert_eq!(normalize_code("１２３４５６"), None);
    }

    #[test]
    fn pins_are_four_to_six_digits_and_not_the_first_guess() {
        assert_eq!(check_pin("2468"), Ok(()));
        assert_eq!(check_pin("135790"), Ok(()));
        assert_eq!(check_pin("123"), Err(PinProblem::Shape));
        assert_eq!(check_pin("1234567"), Err(PinProblem::Shape));
        assert_eq!(check_pin("12a4"), Err(PinProblem::Shape));
        assert_eq!(check_pin("0000"), Err(PinProblem::Guessable));
        assert_eq!(check_pin("1234"), Err(PinProblem::Guessable));
        assert_eq!(check_pin("987654"), Err(PinProblem::Guessable));
        assert_eq!(check_pin("7890"), Err(PinProblem::Guessable));
    }

    #[test]
    fn only_plain_hosts_go_into_the_qr_code() {
        assert!(plain_host("192.168.1.20:3000"));
        assert!(plain_host("zhibu.hospital.cn"));
        assert!(plain_host("[::1]:3000"));
        assert!(!plain_host("evil.example/x?y"));
        assert!(!plain_host("a b"));
        assert!(!plain_host(""));
    }

    #[test]
    fn rooms_need_a_name() {
        let ok = check_room(&RoomInput {
            id: String::new(),
            name: "  党员活动室 ".into(),
            location: "行政楼三楼".into(),
        })
        .unwrap();
        assert_eq!(ok.name, "党员活动室");
        assert_eq!(
            check_room(&RoomInput {
                name: " ".into(),
                ..RoomInput::default()
            }),
            Err("name")
        );
        assert_eq!(
            check_room(&RoomInput {
                name: "室".into(),
                location: "楼".repeat(101),
                ..RoomInput::default()
            }),
            Err("location")
        );
    }

    #[test]
    fn a_snapshot_counts_the_present_and_names_them_in_list_order() {
        let a = |m: &str, s: Option<Attendance>| TabletAttendee {
            member: m.into(),
            name: format!("名{m}"),
            status: s,
            has_pin: true,
        };
        let snap = snapshot(
            "g1",
            "主题党日",
            &[
                a("m1", Some(Attendance::Present)),
                a("m2", Some(Attendance::Leave)),
                a("m3", None),
                a("m4", Some(Attendance::Present)),
            ],
        );
        assert_eq!((snap.expected, snap.present, snap.leave), (4, 2, 1));
        assert_eq!(snap.present_names, vec!["名m1", "名m4"]);
    }
}
