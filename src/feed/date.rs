//! Lenient feed dates -> UTC. Feeds write dates every way people do: RFC 822 with or
//! without seconds, day names or commas; zone names (`BST`, `CEST`, `PDT`); W3C/ISO 8601
//! with or without seconds or zone, with a space for the `T`; JavaScript's
//! `Sat Oct 06 2018 00:00:00 GMT+0000 (UTC)`; asctime; `2020/1/10 14:33:00`. A date
//! without a zone is taken as UTC (as feedparser does).
//!
//! Out-of-range fields follow feedparser, the reference reader: in the ISO forms a day,
//! hour, minute or second past its range (`2003-06-31`, `T25:51`, `12:60`, `:60`) rolls
//! over into the next unit, as its ISO 8601 handler does through `mktime`; in the
//! RFC 822 forms feedparser's handler rejects them, and so do we (except a `:60` second,
//! read as a leap second). Zones: the abbreviations feeds use, the long US names
//! (`Eastern Standard Time`), tz database names of US and Canadian zones
//! (`America/New_York`, `US/Pacific`, `EST5EDT`: daylight time by the US rules), and
//! after a complete date and time an unknown zone word is UTC (feedparser's reading).
//! Deliberate differences from feedparser: a 12-hour clock's AM/PM is applied
//! (feedparser drops it and is 12 hours off), and zones it does not know (`BST`,
//! `CEST`, `AKST`, `HST`) get their real offsets rather than UTC.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};

/// Parse a feed date; `None` when it is not a recognisable date.
pub(crate) fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    let s = with_zone_abbreviations(s);
    parse_iso(&s).or_else(|| parse_words(&s))
}

/// A zone as written: a fixed offset, or a zone whose offset follows the US daylight
/// time rules (its standard offset; the local time decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zone {
    Fixed(i32),
    UsRules(i32),
}

const UTC: Zone = Zone::Fixed(0);

impl Zone {
    /// Minutes east of UTC at this local wall-clock time.
    fn offset_at(self, local: NaiveDateTime) -> i32 {
        match self {
            Zone::Fixed(m) => m,
            Zone::UsRules(std) if us_daylight_time(local) => std + 60,
            Zone::UsRules(std) => std,
        }
    }
}

/// Whether US (and Canadian) daylight time is in force at a local wall-clock time:
/// from 2007 the second Sunday of March to the first Sunday of November, before that
/// the first Sunday of April to the last Sunday of October, changing at 02:00.
fn us_daylight_time(local: NaiveDateTime) -> bool {
    let y = local.year();
    let nth_sunday =
        |month: u32, n: u8| NaiveDate::from_weekday_of_month_opt(y, month, Weekday::Sun, n);
    let last_sunday = |month: u32| {
        (1..=5)
            .rev()
            .find_map(|n| NaiveDate::from_weekday_of_month_opt(y, month, Weekday::Sun, n))
    };
    let (start, end) = if y >= 2007 {
        (nth_sunday(3, 2), nth_sunday(11, 1))
    } else {
        (nth_sunday(4, 1), last_sunday(10))
    };
    let at_two = |d: Option<NaiveDate>| d.and_then(|d| d.and_hms_opt(2, 0, 0));
    match (at_two(start), at_two(end)) {
        (Some(s), Some(e)) => local >= s && local < e,
        _ => false,
    }
}

/// Offset in minutes east of UTC for a zone abbreviation, as feeds use them.
fn zone_offset(name: &str) -> Option<i32> {
    let n = name.to_ascii_uppercase();
    let h = |x: i32| Some(x * 60);
    match n.as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" | "ETC/UTC" | "ETC/GMT" | "ETC/UCT" | "UCT" => h(0),
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
        "HST" | "HAST" => h(-10),
        "HDT" | "HADT" => h(-9),
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

/// tz database names of US and Canadian zones (and the POSIX-style `EST5EDT`), whose
/// offset depends on the date.
fn tz_database_zone(name: &str) -> Option<Zone> {
    let n = name.to_ascii_lowercase();
    let dst = |h: i32| Some(Zone::UsRules(h * 60));
    let fixed = |m: i32| Some(Zone::Fixed(m));
    match n.as_str() {
        "america/new_york"
        | "us/eastern"
        | "est5edt"
        | "america/detroit"
        | "america/toronto"
        | "america/montreal"
        | "canada/eastern"
        | "america/indiana/indianapolis"
        | "america/kentucky/louisville" => dst(-5),
        "america/chicago" | "us/central" | "cst6cdt" | "america/winnipeg" | "canada/central" => {
            dst(-6)
        }
        "america/denver" | "us/mountain" | "mst7mdt" | "america/boise" | "america/edmonton"
        | "canada/mountain" => dst(-7),
        "america/phoenix" | "us/arizona" => fixed(-7 * 60),
        "america/los_angeles"
        | "us/pacific"
        | "pst8pdt"
        | "america/vancouver"
        | "canada/pacific" => dst(-8),
        "america/anchorage" | "us/alaska" => dst(-9),
        "pacific/honolulu" | "us/hawaii" => fixed(-10 * 60),
        "america/halifax" | "canada/atlantic" => dst(-4),
        "america/st_johns" | "canada/newfoundland" => Some(Zone::UsRules(-210)),
        _ => None,
    }
}

/// Long zone names as feeds spell them out, and the abbreviation each stands for.
const LONG_ZONE_NAMES: [(&str, &str); 30] = [
    ("eastern standard time", "EST"),
    ("eastern daylight time", "EDT"),
    ("eastern time", "ET"),
    ("central standard time", "CST"),
    ("central daylight time", "CDT"),
    ("central time", "CT"),
    ("mountain standard time", "MST"),
    ("mountain daylight time", "MDT"),
    ("mountain time", "MT"),
    ("pacific standard time", "PST"),
    ("pacific daylight time", "PDT"),
    ("pacific time", "PT"),
    ("alaska standard time", "AKST"),
    ("alaskan standard time", "AKST"),
    ("alaska daylight time", "AKDT"),
    ("alaskan daylight time", "AKDT"),
    ("hawaii-aleutian standard time", "HST"),
    ("hawaii standard time", "HST"),
    ("hawaiian standard time", "HST"),
    ("atlantic standard time", "AST"),
    ("atlantic daylight time", "ADT"),
    ("newfoundland standard time", "NST"),
    ("newfoundland daylight time", "NDT"),
    ("greenwich mean time", "GMT"),
    ("coordinated universal time", "UTC"),
    ("universal time", "UT"),
    ("british summer time", "BST"),
    ("central european summer time", "CEST"),
    ("central european time", "CET"),
    ("eastern european time", "EET"),
];

/// `Oct 6, 2018 3:04 PM Eastern Standard Time` -> `... EST`: a long zone name becomes
/// the one token the parsers read. Names inside parentheses are left as commentary.
fn with_zone_abbreviations(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['t', 'T']) || s.len() < 10 {
        return std::borrow::Cow::Borrowed(s);
    }
    let lower = s.to_ascii_lowercase();
    let paren = lower.find('(').unwrap_or(lower.len());
    for (long, abbr) in LONG_ZONE_NAMES {
        if let Some(at) = lower[..paren].find(long) {
            let end = at + long.len();
            // Whole words only.
            let before_ok = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            let after_ok = lower[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_ascii_alphanumeric());
            if before_ok && after_ok {
                return std::borrow::Cow::Owned(format!("{}{abbr}{}", &s[..at], &s[end..]));
            }
        }
    }
    std::borrow::Cow::Borrowed(s)
}

/// `+0100`, `-05:00`, `+01`, `GMT+0100`, `UTC-5`, `America/New_York`, or a name.
fn parse_zone(tok: &str) -> Option<Zone> {
    let t = tok.trim_matches(|c: char| c == '(' || c == ')');
    if let Some(z) = zone_offset(t) {
        return Some(Zone::Fixed(z));
    }
    if let Some(z) = tz_database_zone(t) {
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
    Some(Zone::Fixed(sign * (hh * 60 + mm)))
}

/// A zone word feedparser reads as UTC when it does not know it: letters only, after a
/// complete date and time (`... 10:00:00 XYZ`).
fn unknown_zone_word(tok: &str) -> bool {
    (1..=6).contains(&tok.len()) && tok.bytes().all(|c| c.is_ascii_alphabetic())
}

/// The local wall-clock time less the zone's offset.
fn to_utc(local: NaiveDateTime, zone: Zone) -> Option<DateTime<Utc>> {
    let offset = chrono::Duration::minutes(i64::from(zone.offset_at(local)));
    Some(Utc.from_utc_datetime(&local.checked_sub_signed(offset)?))
}

/// Strict fields (the RFC 822 forms): an impossible value is no date.
fn build(y: i32, mo: u32, d: u32, hh: u32, mi: u32, ss: u32, zone: Zone) -> Option<DateTime<Utc>> {
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
    let local = NaiveDateTime::new(date, time)
        + chrono::Duration::seconds(i64::from(extra))
        + chrono::Duration::hours(extra_h);
    to_utc(local, zone)
}

/// Fields that may be past their range (the ISO forms), rolled over the way `mktime`
/// normalizes them in feedparser's ISO 8601 handler: `06-31` is July 1st, `T25:51` the
/// next day's 01:51, `12:60` is 13:00, `:60` the next minute, day 0 the month's eve.
/// The month must be a real one; the day and each time field have two digits at most
/// (the day's first one 0 to 3, as that handler's pattern has it).
fn build_rolled(
    y: i32,
    mo: u32,
    d: u32,
    hh: u32,
    mi: u32,
    ss: u32,
    zone: Zone,
) -> Option<DateTime<Utc>> {
    if d > 39 || hh > 99 || mi > 99 || ss > 99 {
        return None;
    }
    let first = NaiveDate::from_ymd_opt(y, mo, 1)?.and_hms_opt(0, 0, 0)?;
    let past = chrono::Duration::days(i64::from(d) - 1)
        + chrono::Duration::hours(i64::from(hh))
        + chrono::Duration::minutes(i64::from(mi))
        + chrono::Duration::seconds(i64::from(ss));
    to_utc(first.checked_add_signed(past)?, zone)
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

/// AM/PM applied to an hour of a 12-hour clock (an hour past 12 is a 24-hour clock's).
fn twelve_hour(hh: u32, pm: Option<bool>) -> u32 {
    match pm {
        Some(true) if hh < 12 => hh + 12,
        Some(false) if hh == 12 => 0,
        _ => hh,
    }
}

fn am_pm(tok: &str) -> Option<bool> {
    let t: String = tok
        .chars()
        .filter(|c| *c != '.')
        .collect::<String>()
        .to_ascii_lowercase();
    match t.as_str() {
        "am" => Some(false),
        "pm" => Some(true),
        _ => None,
    }
}

/// W3C-DTF / ISO 8601 and relatives: `2003-12-13`, `2003-12-13T18:30Z`,
/// `2003-12-13 18:30:02.25+01:00`, `20031213T183002Z`, `2020/1/10 14:33:00`, `2003`,
/// `2003-12`, `2003-07-01 T 01:55:07-05:00`.
fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let (y, mut i) = digits_at(b, 0, 4, 4)?;
    let mo;
    let mut d = 1;
    let sep = b.get(i).copied();
    match sep {
        None => return build(y as i32, 1, 1, 0, 0, 0, UTC),
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
    let mut zone = UTC;
    let mut with_t = false;
    if i < b.len() {
        match b[i] {
            b'T' | b't' | b' ' => {
                // `T`, a space, or a `T` with spaces around it.
                let mut j = i;
                while b.get(j) == Some(&b' ') {
                    j += 1;
                }
                if matches!(b.get(j), Some(b'T') | Some(b't')) {
                    // Only a `T` right after the date is ISO 8601's to feedparser.
                    with_t = j == i && b[j] == b'T';
                    j += 1;
                    while b.get(j) == Some(&b' ') {
                        j += 1;
                    }
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
                let mut rest = s[j..].split_whitespace().peekable();
                if let Some(pm) = rest.peek().and_then(|t| am_pm(t)) {
                    rest.next();
                    hh = twelve_hour(hh, Some(pm));
                }
                if let Some(z) = rest.next() {
                    zone = match parse_zone(z) {
                        Some(z) => z,
                        None if unknown_zone_word(z) => UTC,
                        None => return None,
                    };
                }
            }
            b'Z' | b'z' if i + 1 == b.len() => {}
            _ => {
                let rest = s[i..].trim();
                zone = parse_zone(rest)?;
            }
        }
    }
    let clock_time = (hh < 24 && mi < 60 && ss <= 60) || (hh, mi, ss) == (24, 0, 0);
    if !with_t && !clock_time {
        // `2003-12-13 18:60:00`: feedparser's W3C-DTF handler rejects the time and its
        // ISO 8601 one (which needs a `T` right after the date) reads the date alone.
        return build_rolled(y as i32, mo, d, 0, 0, 0, UTC);
    }
    build_rolled(y as i32, mo, d, hh, mi, ss, zone)
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
    let mut offset: Option<Zone> = None;
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
            if let Some(p) = am_pm(z) {
                pm = Some(p);
            } else if !z.is_empty() {
                offset = Some(parse_zone(z)?);
            }
            continue;
        }
        if let Some(p) = am_pm(tok) {
            pm = Some(p);
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
        // `Fri, 2006/09/15 08:19:53 EDT` (Perforce)
        if year.is_none() && tok.contains('/') {
            let parts: Vec<&str> = tok.split('/').collect();
            if let [y, m, d] = parts[..]
                && y.len() == 4
                && let (Ok(y), Ok(m), Ok(d)) =
                    (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>())
            {
                year = Some(y);
                month = Some(m);
                day = Some(d);
                continue;
            }
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
                offset = Some(Zone::Fixed(z));
            }
            continue;
        }
        if tok.eq_ignore_ascii_case("at") || tok.eq_ignore_ascii_case("the") {
            continue;
        }
        // After a complete date and time, a zone word feedparser does not know is UTC,
        // and RFC 822's military letters have its (RFC 822's own) signs.
        if offset.is_none()
            && time.is_some()
            && month.is_some()
            && (year.is_some() || !loose_numbers.is_empty())
            && unknown_zone_word(tok)
        {
            offset = Some(Zone::Fixed(military_zone(tok)));
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
    let (hh, mi, ss) = time.unwrap_or((0, 0, 0));
    build(
        year?,
        month,
        day?,
        twelve_hour(hh, pm),
        mi,
        ss,
        offset.unwrap_or(UTC),
    )
}

/// RFC 822's one-letter military zones as feedparser reads them (A -1, N +1, M -12,
/// Y +12 hours); any other word is UTC.
fn military_zone(tok: &str) -> i32 {
    match tok.to_ascii_uppercase().as_str() {
        "A" => -60,
        "N" => 60,
        "M" => -720,
        "Y" => 720,
        _ => 0,
    }
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
    fn out_of_range_fields_roll_over_in_iso_forms_as_feedparser_reads_them() {
        // feedparser's ISO 8601 handler normalizes through mktime.
        assert_eq!(
            iso("2003-12-13T18:60:00Z").as_deref(),
            Some("2003-12-13T19:00:00Z")
        );
        assert_eq!(
            iso("2003-12-13T18:30:60Z").as_deref(),
            Some("2003-12-13T18:31:00Z")
        );
        assert_eq!(
            iso("2003-07-01T25:51:30-0500").as_deref(),
            Some("2003-07-02T06:51:30Z")
        );
        assert_eq!(
            iso("2003-06-31T15:51:30-05:00").as_deref(),
            Some("2003-07-01T20:51:30Z")
        );
        assert_eq!(iso("2003-07-32").as_deref(), Some("2003-08-01T00:00:00Z"));
        // Written with a space, a time that is no clock time leaves the date alone.
        assert_eq!(
            iso("2003-12-13 18:60:00").as_deref(),
            Some("2003-12-13T00:00:00Z")
        );
        // Spaces around the `T`.
        assert_eq!(
            iso("2003-07-01 T 01:55:07-05:00").as_deref(),
            Some("2003-07-01T06:55:07Z")
        );
        // RFC 822 forms stay strict, as feedparser's handler is (a :60 second is a leap
        // second).
        assert_eq!(iso("Mon, 10 Jan 2020 12:60:00 GMT"), None);
        assert_eq!(
            iso("Mon, 10 Jan 2020 12:30:60 GMT").as_deref(),
            Some("2020-01-10T12:31:00Z")
        );
    }

    #[test]
    fn us_zone_names_abbreviated_long_and_tz_database() {
        for (zone, utc) in [
            ("EST", "15:00"),
            ("EDT", "14:00"),
            ("CST", "16:00"),
            ("CDT", "15:00"),
            ("MST", "17:00"),
            ("MDT", "16:00"),
            ("PST", "18:00"),
            ("PDT", "17:00"),
            ("AKST", "19:00"),
            ("AKDT", "18:00"),
            ("HST", "20:00"),
            ("pdt", "17:00"),
            ("Eastern Standard Time", "15:00"),
            ("Pacific Daylight Time", "17:00"),
            // July: daylight time by the US rules.
            ("America/New_York", "14:00"),
            ("US/Pacific", "17:00"),
            ("America/Phoenix", "17:00"),
            ("Pacific/Honolulu", "20:00"),
        ] {
            let want = format!("2020-07-10T{utc}:00Z");
            assert_eq!(
                iso(&format!("Fri, 10 Jul 2020 10:00:00 {zone}")).as_deref(),
                Some(want.as_str()),
                "{zone}"
            );
            assert_eq!(
                iso(&format!("2020-07-10T10:00:00 {zone}")).as_deref(),
                Some(want.as_str()),
                "ISO with {zone}"
            );
        }
        // January: standard time.
        assert_eq!(
            iso("Fri, 10 Jan 2020 10:00:00 America/New_York").as_deref(),
            Some("2020-01-10T15:00:00Z")
        );
        // Perforce's `yyyy/mm/dd` after a day name.
        assert_eq!(
            iso("Fri, 2006/09/15 08:19:53 EDT").as_deref(),
            Some("2006-09-15T12:19:53Z")
        );
        // A zone word nobody knows, after a complete date and time: UTC, as feedparser.
        assert_eq!(
            iso("Fri, 10 Jul 2020 10:00:00 XYZ").as_deref(),
            Some("2020-07-10T10:00:00Z")
        );
    }

    #[test]
    fn twelve_hour_clocks_apply_am_and_pm() {
        // feedparser drops the marker (and the zone after it) and is 12 hours off;
        // the publisher meant the afternoon.
        for (s, want) in [
            ("Mon, 10 Jan 2020 03:04:00 PM GMT", "2020-01-10T15:04:00Z"),
            ("Mon, 10 Jan 2020 03:04:00 PM EST", "2020-01-10T20:04:00Z"),
            ("Mon, 10 Jan 2020 3:04PM", "2020-01-10T15:04:00Z"),
            ("Mon, 10 Jan 2020 12:30:00 AM", "2020-01-10T00:30:00Z"),
            ("Mon, 10 Jan 2020 12:30:00 p.m.", "2020-01-10T12:30:00Z"),
            ("Mon, 10 Jan 2020 15:04:00 PM", "2020-01-10T15:04:00Z"),
            ("2020-01-10 03:04:00 PM", "2020-01-10T15:04:00Z"),
            ("Friday, January 29, 2021 04:42 PM", "2021-01-29T16:42:00Z"),
        ] {
            assert_eq!(iso(s).as_deref(), Some(want), "{s}");
        }
    }

    #[test]
    fn nonsense_is_none() {
        assert_eq!(iso("yesterday"), None);
        assert_eq!(iso("2003-13-01"), None);
        assert_eq!(iso("Mon, 30 Feb 2003 10:00:00 GMT"), None);
        assert_eq!(iso(""), None);
        assert_eq!(iso("Mon, 99 Foo 2003"), None);
    }
}
