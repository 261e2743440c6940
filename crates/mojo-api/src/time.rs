//! Timestamps as the service sends them: ISO-8601 UTC, with or without fractional seconds
//! (`2013-11-11T21:37:02Z`, `2019-09-03T08:15:42.000Z`), an offset instead of `Z`, or a bare date
//! (`2024-01-31`). Written back as `YYYY-MM-DDTHH:MM:SSZ`, the form search queries use.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An instant, kept as milliseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// Seconds since the Unix epoch (rounded down).
    pub fn seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Builds a timestamp from seconds since the epoch.
    pub fn from_seconds(s: i64) -> Self {
        Timestamp(s * 1000)
    }

    /// Parses the accepted forms; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        // Every accepted form is ASCII; refusing the rest first makes the byte-position slicing
        // below safe for any input (a "2024-01-€" must be refused, not panic).
        if !s.is_ascii() {
            return None;
        }
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i64 = num(&s[0..4])?;
        let month: u32 = num(&s[5..7])?;
        let day: u32 = num(&s[8..10])?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        let days = days_from_civil(year, month, day);
        if b.len() == 10 {
            return Some(Timestamp(days * 86_400_000));
        }
        if !(b[10] == b'T' || b[10] == b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let h: i64 = num(&s[11..13])?;
        let m: i64 = num(&s[14..16])?;
        let sec: i64 = num(&s[17..19])?;
        if h > 23 || m > 59 || sec > 60 {
            return None;
        }
        let mut rest = &s[19..];
        let mut millis = 0i64;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let d = &frac[..digits];
            let padded: String = d.chars().chain("000".chars()).take(3).collect();
            millis = padded.parse().ok()?;
            rest = &frac[digits..];
        }
        let offset_min: i64 = match rest {
            "" | "Z" | "z" => 0,
            o if (o.len() == 6 || o.len() == 5) && (o.starts_with('+') || o.starts_with('-')) => {
                let sign = if o.starts_with('-') { -1 } else { 1 };
                let body = o[1..].replace(':', "");
                if body.len() != 4 {
                    return None;
                }
                let oh: i64 = num(&body[0..2])?;
                let om: i64 = num(&body[2..4])?;
                sign * (oh * 60 + om)
            }
            _ => return None,
        };
        let secs = days * 86_400 + h * 3600 + m * 60 + sec - offset_min * 60;
        Some(Timestamp(secs * 1000 + millis))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (seconds precision), the form queries and inputs use.
    pub fn to_iso(self) -> String {
        let secs = self.seconds();
        let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
        let r = secs.rem_euclid(86_400);
        format!("{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z", r / 3600, (r % 3600) / 60, r % 60)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form Rails usually answers with.
    pub fn to_iso_millis(self) -> String {
        let base = self.to_iso();
        format!("{}.{:03}Z", &base[..19], self.0.rem_euclid(1000))
    }

    /// `YYYY-MM-DD` in UTC.
    pub fn date(self) -> String {
        self.to_iso()[..10].to_string()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not an ISO-8601 time: {s:?}")))
    }
}

/// Serde adapter for an optional timestamp: `null`, `""`, a missing key and unreadable text are `None`,
/// so one odd date never makes a whole ticket list unreadable.
pub fn opt_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        Some(serde_json::Value::String(s)) => Timestamp::parse(&s),
        Some(serde_json::Value::Number(n)) => n.as_i64().map(Timestamp::from_seconds),
        _ => None,
    })
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().ok() } else { None }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_documented_forms() {
        let plain = Timestamp::parse("2013-11-11T21:37:02Z").unwrap();
        assert_eq!(plain.seconds(), 1_384_205_822);
        let frac = Timestamp::parse("2019-09-03T08:15:42.000Z").unwrap();
        assert_eq!(frac.to_iso(), "2019-09-03T08:15:42Z");
        assert_eq!(Timestamp::parse("2019-09-03T08:15:42.5Z").unwrap().millis() % 1000, 500);
        assert_eq!(Timestamp::parse("2024-03-04T10:02:11+01:00").unwrap().to_iso(), "2024-03-04T09:02:11Z");
        assert_eq!(Timestamp::parse("2024-01-31").unwrap().to_iso(), "2024-01-31T00:00:00Z");
        assert_eq!(frac.to_iso_millis(), "2019-09-03T08:15:42.000Z");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2023-02-29",
            "2024-01-01T25:00:00Z",
            "2024-01-01T10:00:00.Z",
            "2024-01-01T10:00:00Q",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn never_panics_on_any_text() {
        for bad in [
            "2024-01-€",
            "2024-01-01T10:00:00+€0",
            "2024-01-01T10:00:00.€Z",
            "€€€€-01-01",
            "2024-01-01T10:0€:00Z",
            "\u{0}",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
        // Every string of up to 25 characters drawn from the characters dates are made of, plus
        // multi-byte ones, in a deterministic pseudo-random sample.
        let alphabet: Vec<char> = "0123456789-T:Z.+ z€é😀".chars().collect();
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 26) as usize;
            let text: String =
                (0..len).map(|i| alphabet[((state >> (i % 8 * 8)) as usize + i) % alphabet.len()]).collect();
            let _ = Timestamp::parse(&text);
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 11_016, 19_723, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
