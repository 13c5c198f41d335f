//! Dates and instants read in the browser without chrono's general parser.
//!
//! chrono's `Deserialize` for `NaiveDate` and `DateTime<Utc>` goes through its format
//! parser (`parse_internal`, RFC 2822 and 3339, week dates, …): about 15 KB of WASM on
//! every page that shows a date, for the two fixed shapes the server writes. In the
//! browser build the wire types read those shapes here instead
//! (`#[cfg_attr(feature = "hydrate", serde(deserialize_with = …))]`); the server keeps
//! chrono's own, and what is written is chrono's in both.
//!
//! Shapes: a date is `YYYY-MM-DD`; an instant is `YYYY-MM-DDTHH:MM:SS[.fraction]` then `Z`
//! or `±HH:MM` (chrono writes `Z` for UTC).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde::de::{Deserializer, Error};

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    s.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD`, the whole text.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(&b[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)
}

/// An RFC 3339 instant as chrono writes it, in UTC.
pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = parse_date(text.get(..10)?)?;
    let (h, m, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(&rest[1..=n])? * 10u32.pow(9 - n as u32);
        rest = &rest[1 + n..];
    }
    let offset_secs: i64 = match rest {
        [b'Z'] | [b'z'] => 0,
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let secs = i64::from(digits(&[*oh1, *oh2])? * 3600 + digits(&[*om1, *om2])? * 60);
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    let local = date.and_hms_nano_opt(h, m, s, nanos)?.and_utc();
    Some(local - chrono::TimeDelta::seconds(offset_secs))
}

pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    parse_date(&text).ok_or_else(|| D::Error::custom("expected a date YYYY-MM-DD"))
}

pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref() {
        None | Some("") => Ok(None),
        Some(text) => parse_date(text)
            .map(Some)
            .ok_or_else(|| D::Error::custom("expected a date YYYY-MM-DD")),
    }
}

pub fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    parse_instant(&text).ok_or_else(|| D::Error::custom("expected an RFC 3339 instant"))
}

pub fn opt_instant<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)?.as_deref() {
        None => Ok(None),
        Some(text) => parse_instant(text)
            .map(Some)
            .ok_or_else(|| D::Error::custom("expected an RFC 3339 instant")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, TimeZone};

    #[test]
    fn it_reads_back_every_date_chrono_writes_and_nothing_else() {
        let mut day = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        while day.year() < 2101 {
            let json = serde_json::to_string(&day).unwrap();
            assert_eq!(
                date(&mut serde_json::Deserializer::from_str(&json)).unwrap(),
                day
            );
            day = day + chrono::Days::new(13);
        }
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "2026-01-01x",
            "２０２６-01-01",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
    }

    #[test]
    fn it_reads_back_every_instant_chrono_writes() {
        let mut at = Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap();
        for step in 0..5_000i64 {
            // Whole seconds, milliseconds, microseconds and nanoseconds all occur.
            let nanos = [0, 120_000_000, 123_456_000, 123_456_789, 5][step as usize % 5];
            let t = at + chrono::TimeDelta::nanoseconds(nanos);
            let json = serde_json::to_string(&t).unwrap();
            assert_eq!(
                instant(&mut serde_json::Deserializer::from_str(&json)).unwrap(),
                t,
                "{json}"
            );
            at += chrono::TimeDelta::seconds(7_919 * step + 1);
        }
        let east = "2026-12-02T08:30:00+08:00";
        assert_eq!(
            parse_instant(east),
            Some(Utc.with_ymd_and_hms(2026, 12, 2, 0, 30, 0).unwrap())
        );
        for bad in [
            "2026-12-02 08:30:00Z",
            "2026-12-02T08:30:00",
            "2026-12-02T08:30:00.Z",
            "2026-12-02T25:00:00Z",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_optional_date_reads_null_and_empty_as_none() {
        let read = |json: &str| opt_date(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(read("null").unwrap(), None);
        assert_eq!(read("\"\"").unwrap(), None);
        assert_eq!(
            read("\"2026-12-02\"").unwrap(),
            NaiveDate::from_ymd_opt(2026, 12, 2)
        );
        assert!(read("\"2026-12-32\"").is_err());
        let read = |json: &str| opt_instant(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(read("null").unwrap(), None);
        assert!(read("\"yesterday\"").is_err());
    }
}
