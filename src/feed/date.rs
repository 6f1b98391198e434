//! Lenient feed dates -> UTC. Feeds write dates every way people do: RFC 822 with or
//! without seconds, day names or commas; zone names (`BST`, `CEST`, `PDT`); W3C/ISO 8601
//! with or without seconds or zone, with a space for the `T`; JavaScript's
//! `Sat Oct 06 2018 00:00:00 GMT+0000 (UTC)`; asctime; `2020/1/10 14:33:00`. A date
//! without a zone is taken as UTC (as feedparser does). Impossible calendar values are
//! `None` rather than rolled over into another day.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Parse a feed date; `None` when it is not a recognisable date.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    parse_iso(s).or_else(|| parse_words(s))
}

/// Offset in minutes east of UTC for a zone name, as feeds use them.
fn zone_offset(name: &str) -> Option<i32> {
    let n = name.to_ascii_uppercase();
    let h = |x: i32| Some(x * 60);
    match n.as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" | "Etc/UTC" => h(0),
        "EST" | "ET" => h(-5),
        "EDT" => h(-4),
        "CST" | "CT" => h(-6),
        "CDT" => h(-5),
        "MST" | "MT" => h(-7),
        "MDT" => h(-6),
        "PST" | "PT" => h(-8),
        "PDT" => h(-7),
        "AST" | "AT" => h(-4),
        "ADT" => h(-3),
        "AKST" => h(-9),
        "AKDT" => h(-8),
        "HST" => h(-10),
        "NST" => Some(-210),
        "NDT" => Some(-150),
        "BST" | "WEST" | "CET" | "MET" | "MEZ" | "IST" => {
            // IST is also India (+05:30); Irish Summer Time matches BST and is what
            // European feeds mean alongside BST.
            h(1)
        }
        "CEST" | "MEST" | "MESZ" | "EET" | "SAST" => h(2),
        "EEST" | "MSK" | "EAT" => h(3),
        "MSD" => h(4),
        "GST" => h(4),
        "PKT" => h(5),
        "ICT" | "WIB" => h(7),
        "HKT" | "SGT" | "AWST" | "PHT" | "WITA" => h(8),
        "JST" | "KST" => h(9),
        "ACST" => Some(570),
        "AEST" => h(10),
        "ACDT" => Some(630),
        "AEDT" => h(11),
        "NZST" => h(12),
        "NZDT" => h(13),
        _ => None,
    }
}

/// `+0100`, `-05:00`, `+01`, `GMT+0100`, `UTC-5`, or a name.
fn parse_zone(tok: &str) -> Option<i32> {
    let t = tok.trim_matches(|c: char| c == '(' || c == ')');
    if let Some(z) = zone_offset(t) {
        return Some(z);
    }
    let t = t
        .strip_prefix("GMT")
        .or_else(|| t.strip_prefix("UTC"))
        .or_else(|| t.strip_prefix("UT"))
        .unwrap_or(t);
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hh, mm) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (
            digits[..1].parse::<i32>().ok()?,
            digits[1..].parse::<i32>().ok()?,
        ),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hh > 14 || mm > 59 {
        return None;
    }
    Some(sign * (hh * 60 + mm))
}

fn build(
    y: i32,
    mo: u32,
    d: u32,
    hh: u32,
    mi: u32,
    ss: u32,
    offset_min: i32,
) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    // A leap second (or a sloppy :60) lands on the next minute's start.
    let (ss, extra) = if ss == 60 { (59, 1) } else { (ss, 0) };
    // 24:00 is the end of the day.
    let (hh, extra_h) = if hh == 24 && mi == 0 && ss == 0 {
        (0, 24)
    } else {
        (hh, 0)
    };
    let time = NaiveTime::from_hms_opt(hh, mi, ss)?;
    let naive = NaiveDateTime::new(date, time)
        + chrono::Duration::seconds(i64::from(extra))
        + chrono::Duration::hours(extra_h)
        - chrono::Duration::minutes(i64::from(offset_min));
    Some(Utc.from_utc_datetime(&naive))
}

fn digits_at(b: &[u8], i: usize, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = b
        .get(i..)?
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n < min {
        return None;
    }
    let v = std::str::from_utf8(&b[i..i + n]).ok()?.parse().ok()?;
    Some((v, i + n))
}

/// W3C-DTF / ISO 8601 and relatives: `2003-12-13`, `2003-12-13T18:30Z`,
/// `2003-12-13 18:30:02.25+01:00`, `20031213T183002Z`, `2020/1/10 14:33:00`, `2003`, `2003-12`.
fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let (y, mut i) = digits_at(b, 0, 4, 4)?;
    let mo;
    let mut d = 1;
    let sep = b.get(i).copied();
    match sep {
        None => return build(y as i32, 1, 1, 0, 0, 0, 0),
        Some(b'-') | Some(b'/') | Some(b'.') => {
            let (m, j) = digits_at(b, i + 1, 1, 2)?;
            mo = m;
            i = j;
            if b.get(i) == sep.as_ref() {
                let (dd, j) = digits_at(b, i + 1, 1, 2)?;
                d = dd;
                i = j;
            }
        }
        Some(c) if c.is_ascii_digit() => {
            // Basic format: 20031213
            let (m, j) = digits_at(b, i, 2, 2)?;
            let (dd, j) = digits_at(b, j, 2, 2)?;
            mo = m;
            d = dd;
            i = j;
        }
        _ => return None,
    }
    let (mut hh, mut mi, mut ss) = (0, 0, 0);
    let mut offset = 0;
    if i < b.len() {
        match b[i] {
            b'T' | b't' | b' ' => {
                let mut j = i + 1;
                while b.get(j) == Some(&b' ') {
                    j += 1;
                }
                let (h, k) = digits_at(b, j, 1, 2)?;
                hh = h;
                j = k;
                let colon = b.get(j) == Some(&b':');
                let (m, k) = digits_at(b, j + usize::from(colon), 2, 2)?;
                mi = m;
                j = k;
                if (colon && b.get(j) == Some(&b':'))
                    || (!colon && b.get(j).is_some_and(u8::is_ascii_digit))
                {
                    let (sec, k) = digits_at(b, j + usize::from(colon), 2, 2)?;
                    ss = sec;
                    j = k;
                }
                if matches!(b.get(j), Some(b'.') | Some(b',')) {
                    j += 1;
                    while b.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                }
                let rest = s[j..].trim();
                if !rest.is_empty() {
                    offset = parse_zone(rest.split_whitespace().next().unwrap_or(""))?;
                }
            }
            b'Z' | b'z' if i + 1 == b.len() => {}
            _ => {
                let rest = s[i..].trim();
                offset = parse_zone(rest)?;
            }
        }
    }
    build(y as i32, mo, d, hh, mi, ss, offset)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of(tok: &str) -> Option<u32> {
    let t = tok.to_ascii_lowercase();
    if t.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| t.starts_with(m))
        .map(|p| p as u32 + 1)
}

fn is_day_name(tok: &str) -> bool {
    let t = tok.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|d| t.starts_with(d))
}

/// RFC 822/2822/1123 and the many things written in their spirit: tokens in any
/// reasonable order (`Sat, 06 Oct 2018 00:00 BST`, `Oct 6, 2018 12:00:00 PM EST`,
/// `Sat Oct 06 2018 00:00:00 GMT+0000 (UTC)`, `Sun Jan  4 16:29:06 2004`).
fn parse_words(s: &str) -> Option<DateTime<Utc>> {
    let mut year: Option<i32> = None;
    let mut month: Option<u32> = None;
    let mut day: Option<u32> = None;
    let mut time: Option<(u32, u32, u32)> = None;
    let mut offset: Option<i32> = None;
    let mut pm: Option<bool> = None;
    let mut loose_numbers: Vec<u32> = Vec::new();
    for raw in s.split(|c: char| c.is_whitespace() || c == ',') {
        let tok = raw.trim_matches(|c: char| c == '.');
        if tok.is_empty() {
            continue;
        }
        if tok.starts_with('(') {
            // "(Coordinated Universal Time)" and the like: commentary.
            break;
        }
        if time.is_none() && tok.contains(':') && tok.as_bytes()[0].is_ascii_digit() {
            // 16:29:06, 16:29, 16:29:06+0000, 16:29:06GMT
            let split = tok
                .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
                .unwrap_or(tok.len());
            let (t, z) = tok.split_at(split);
            let mut parts = t.split(':');
            let hh = parts.next()?.parse().ok()?;
            let mi = parts.next()?.parse().ok()?;
            let ss = parts
                .next()
                .map(|p| p.split('.').next().unwrap_or("0").parse().unwrap_or(0))
                .unwrap_or(0);
            time = Some((hh, mi, ss));
            if !z.is_empty() {
                offset = Some(parse_zone(z)?);
            }
            continue;
        }
        if tok.eq_ignore_ascii_case("am") || tok.eq_ignore_ascii_case("pm") {
            pm = Some(tok.eq_ignore_ascii_case("pm"));
            continue;
        }
        if tok.bytes().all(|c| c.is_ascii_digit()) {
            let v: u32 = tok.parse().ok()?;
            if tok.len() == 4 {
                year = Some(v as i32);
            } else if tok.len() <= 2 {
                loose_numbers.push(v);
            } else {
                return None;
            }
            continue;
        }
        if let Some(z) = (time.is_some() || year.is_some())
            .then(|| parse_zone(tok))
            .flatten()
        {
            offset = Some(z);
            continue;
        }
        if tok.starts_with('+') || tok.starts_with('-') {
            offset = Some(parse_zone(tok)?);
            continue;
        }
        if month.is_none()
            && let Some(m) = month_of(tok)
        {
            month = Some(m);
            continue;
        }
        // `06-Oct-2018`
        if tok.contains('-') {
            let parts: Vec<&str> = tok.split('-').collect();
            if parts.len() == 3
                && let (Ok(dd), Some(m)) = (parts[0].parse::<u32>(), month_of(parts[1]))
            {
                day = Some(dd);
                month = Some(m);
                let yv: u32 = parts[2].parse().ok()?;
                if parts[2].len() == 4 {
                    year = Some(yv as i32);
                } else {
                    loose_numbers.push(yv);
                }
                continue;
            }
        }
        if is_day_name(tok) || zone_offset(tok).is_some() {
            if let Some(z) = zone_offset(tok) {
                offset = Some(z);
            }
            continue;
        }
        if tok.eq_ignore_ascii_case("at") || tok.eq_ignore_ascii_case("the") {
            continue;
        }
        // An unknown word: not a date we understand.
        return None;
    }
    let month = month?;
    let mut nums = loose_numbers.into_iter();
    if day.is_none() {
        day = nums.next();
    }
    if year.is_none() {
        let yy = nums.next()? as i32;
        year = Some(if yy < 100 {
            if yy > 68 { 1900 + yy } else { 2000 + yy }
        } else {
            yy
        });
    }
    let (mut hh, mi, ss) = time.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if hh < 12 => hh += 12,
        Some(false) if hh == 12 => hh = 0,
        _ => {}
    }
    build(year?, month, day?, hh, mi, ss, offset.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    }

    #[test]
    fn rfc822_variants() {
        assert_eq!(
            iso("Sat, 06 Oct 2018 00:00:00 GMT").as_deref(),
            Some("2018-10-06T00:00:00Z")
        );
        assert_eq!(
            iso("Sat, 06 Oct 2018 01:30 BST").as_deref(),
            Some("2018-10-06T00:30:00Z")
        );
        assert_eq!(
            iso("Mon, 1 Jan 2018 12:00:00 CEST").as_deref(),
            Some("2018-01-01T10:00:00Z")
        );
        assert_eq!(
            iso("Tue, 10 Jun 2003 04:00:00 PDT").as_deref(),
            Some("2003-06-10T11:00:00Z")
        );
        assert_eq!(
            iso("10 Jun 03 04:00 -0500").as_deref(),
            Some("2003-06-10T09:00:00Z")
        );
        assert_eq!(
            iso("Thursday, 01-Jan-04 19:48:21 GMT").as_deref(),
            Some("2004-01-01T19:48:21Z")
        );
    }

    #[test]
    fn javascript_asctime_and_us_styles() {
        assert_eq!(
            iso("Sat Oct 06 2018 00:00:00 GMT+0200 (Central European Summer Time)").as_deref(),
            Some("2018-10-05T22:00:00Z")
        );
        assert_eq!(
            iso("Sun Jan  4 16:29:06 2004").as_deref(),
            Some("2004-01-04T16:29:06Z")
        );
        assert_eq!(
            iso("October 6, 2018 3:04 PM EST").as_deref(),
            Some("2018-10-06T20:04:00Z")
        );
    }

    #[test]
    fn iso_variants() {
        assert_eq!(
            iso("2003-12-13T18:30:02Z").as_deref(),
            Some("2003-12-13T18:30:02Z")
        );
        assert_eq!(
            iso("2003-12-13T18:30Z").as_deref(),
            Some("2003-12-13T18:30:00Z")
        );
        assert_eq!(
            iso("2003-12-13 18:30:02").as_deref(),
            Some("2003-12-13T18:30:02Z")
        );
        assert_eq!(
            iso("2003-12-13T18:30:02.25+01:00").as_deref(),
            Some("2003-12-13T17:30:02Z")
        );
        assert_eq!(
            iso("2003-12-13T18:30:02-0500").as_deref(),
            Some("2003-12-13T23:30:02Z")
        );
        assert_eq!(
            iso("2020/1/10 14:33:00").as_deref(),
            Some("2020-01-10T14:33:00Z")
        );
        assert_eq!(iso("2003-12").as_deref(), Some("2003-12-01T00:00:00Z"));
        assert_eq!(iso("2003").as_deref(), Some("2003-01-01T00:00:00Z"));
        assert_eq!(
            iso("20031213T183002Z").as_deref(),
            Some("2003-12-13T18:30:02Z")
        );
    }

    #[test]
    fn nonsense_is_none() {
        assert_eq!(iso("yesterday"), None);
        assert_eq!(iso("2003-02-30"), None);
        assert_eq!(iso(""), None);
        assert_eq!(iso("Mon, 99 Foo 2003"), None);
    }
}
