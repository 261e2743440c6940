//! Request parameters read the way Rails reads them (REFERENCE §1.4, §6): the query string and
//! the body (JSON, urlencoded or multipart) merged into one tree, the body winning; bracketed
//! form keys (`user[email]`, `keys[]`) nested; ids and booleans accepted as strings. Handlers
//! never see the transport format, so every endpoint accepts every format.

use serde_json::{Map, Value};

/// One uploaded file from a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    /// The form field name, e.g. `file` or `attachment[0][content]`.
    pub field: String,
    /// The file name the client sent.
    pub filename: String,
    /// The MIME type the client sent (or `application/octet-stream`).
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// What a request carried as parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params {
    map: Map<String, Value>,
    /// Uploaded files, in body order.
    pub files: Vec<Upload>,
}

/// A parameter read as a typed value. Callers decide what `Invalid` means for them: required
/// fields turn it into "can't be blank", optional ones into "is invalid".
#[derive(Debug, Clone, PartialEq)]
pub enum Field<T> {
    /// The key is not there (or holds an object/array where a scalar belongs: Rails' strong
    /// parameters drop those silently).
    Absent,
    /// `null` or an empty string: the client asks to clear the value.
    Null,
    /// A usable value.
    Value(T),
    /// Present but not convertible (e.g. `"abc"` for an id).
    Invalid,
}

impl<T> Field<T> {
    /// The value if usable.
    pub fn value(self) -> Option<T> {
        match self {
            Field::Value(v) => Some(v),
            _ => None,
        }
    }

    /// True when the key was not sent at all.
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }
}

impl Params {
    /// Parameters from a ready map (tests and internal callers).
    pub fn from_map(map: Map<String, Value>) -> Self {
        Params { map, files: Vec::new() }
    }

    /// The raw value of a top-level key.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// Every top-level key and value.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.map.iter()
    }

    /// A scalar value (string, number, bool or null); objects and arrays count as absent.
    fn scalar(&self, key: &str) -> Option<&Value> {
        match self.map.get(key) {
            Some(Value::Object(_)) | Some(Value::Array(_)) | None => None,
            Some(v) => Some(v),
        }
    }

    /// Text: strings as they are, numbers and booleans as their text; `null` is `Null`.
    /// An empty string is a `Value("")` here, because for text "blank" is a validation matter.
    pub fn text(&self, key: &str) -> Field<String> {
        match self.scalar(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(Value::String(s)) => Field::Value(s.clone()),
            Some(other) => Field::Value(other.to_string()),
        }
    }

    /// Text for lookups where only a non-blank string is useful (`access_key`, `sort_by`).
    pub fn str(&self, key: &str) -> Option<String> {
        self.text(key).value().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    }

    /// An integer from a number or a numeric string (`8`, `"8"`, `8.0`).
    pub fn int(&self, key: &str) -> Field<i64> {
        match self.scalar(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(Value::String(s)) if s.trim().is_empty() => Field::Null,
            Some(v) => mojo_api::de::int_from_value(v).map(Field::Value).unwrap_or(Field::Invalid),
        }
    }

    /// A boolean from `true`/`"true"`/`1`/`"1"` and their opposites.
    pub fn bool(&self, key: &str) -> Field<bool> {
        match self.scalar(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(v) => mojo_api::de::bool_from_value(v).map(Field::Value).unwrap_or(Field::Invalid),
        }
    }

    /// Merges `other` on top of these parameters (later sources win, as in Rails).
    pub fn merge(&mut self, other: Params) {
        for (k, v) in other.map {
            self.map.insert(k, v);
        }
        self.files.extend(other.files);
    }

    /// Inserts a form field (`user[email]`, `keys[]`, `a[b][c]`) at its nested place. A key
    /// nested deeper than [`MAX_DEPTH`] is refused before anything is built (Rack refuses
    /// such parameters too, with a 400).
    pub fn insert_form(&mut self, key: &str, value: Value) -> Result<(), TooDeep> {
        let path = split_key(key)?;
        insert_path(&mut self.map, &path, value);
        Ok(())
    }

    /// Parses an urlencoded string (a query string or a form body).
    pub fn from_urlencoded(raw: &str) -> Result<Self, TooDeep> {
        let mut p = Params::default();
        for pair in raw.split('&').filter(|s| !s.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let key = percent_decode(k);
            if key.is_empty() {
                continue;
            }
            p.insert_form(&key, Value::String(percent_decode(v)))?;
        }
        Ok(p)
    }

    /// A count for paging (`page`, `per_page`): an integer from a number or a numeric string,
    /// where a fractional part of zeros counts (`"100.0"` is 100) and numbers beyond `i64`
    /// saturate (`"99999999999999999999"` is `i64::MAX`, so such a page is past the end and such
    /// a `per_page` is the cap). Anything else (`"abc"`, `"1.5"`, `"1e9"`) is `Invalid`.
    pub fn count(&self, key: &str) -> Field<i64> {
        match self.scalar(key) {
            None => Field::Absent,
            Some(Value::Null) => Field::Null,
            Some(Value::String(s)) if s.trim().is_empty() => Field::Null,
            Some(Value::String(s)) => saturating_int(s).map(Field::Value).unwrap_or(Field::Invalid),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => Field::Value(i),
                // `as` saturates: 1e30 is i64::MAX, -1e30 is i64::MIN.
                None => {
                    n.as_f64().filter(|f| f.fract() == 0.0).map(|f| Field::Value(f as i64)).unwrap_or(Field::Invalid)
                }
            },
            Some(_) => Field::Invalid,
        }
    }

    /// Parses a JSON body. An empty body is no parameters; a body that is not JSON is an error
    /// (the caller answers 400); JSON that is not an object is kept under `_json`, like Rails.
    pub fn from_json(bytes: &[u8]) -> Result<Self, MalformedJson> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Params::default());
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Params::from_map(map)),
            Ok(other) => {
                let mut map = Map::new();
                map.insert("_json".into(), other);
                Ok(Params::from_map(map))
            }
            Err(_) => Err(MalformedJson),
        }
    }
}

/// A JSON body that does not parse (answered with 400 `bad request`). serde_json refuses
/// nesting deeper than 128 levels, so a hostile deep body lands here too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedJson;

/// The deepest form key accepted: `a[b]...` with at most this many parts. Rack's
/// `param_depth_limit` is 32 as well.
pub const MAX_DEPTH: usize = 32;

/// A form key nested deeper than [`MAX_DEPTH`] (answered with 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep;

/// Splits `a[b][c]` into `["a","b","c"]` and `keys[]` into `["keys",""]`; refuses more than
/// [`MAX_DEPTH`] parts before building them.
fn split_key(key: &str) -> Result<Vec<String>, TooDeep> {
    let Some(open) = key.find('[') else {
        return Ok(vec![key.to_string()]);
    };
    if open == 0 || !key.ends_with(']') {
        return Ok(vec![key.to_string()]);
    }
    let mut out = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while let Some(r) = rest.strip_prefix('[') {
        match r.find(']') {
            Some(close) => {
                if out.len() >= MAX_DEPTH {
                    return Err(TooDeep);
                }
                out.push(r[..close].to_string());
                rest = &r[close + 1..];
            }
            None => return Ok(vec![key.to_string()]),
        }
    }
    if !rest.is_empty() {
        return Ok(vec![key.to_string()]);
    }
    Ok(out)
}

/// Puts `value` at `path` (a loop, not recursion: the depth of the tree is bounded by
/// [`MAX_DEPTH`] anyway, but no input should be able to grow the stack).
fn insert_path(map: &mut Map<String, Value>, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut map = map;
    for (i, head) in parents.iter().enumerate() {
        if path[i + 1].is_empty() {
            // `keys[]`: append to an array (anything after `[]` is not nested further).
            let slot = map.entry(head.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if !slot.is_array() {
                *slot = Value::Array(Vec::new());
            }
            if let Value::Array(list) = slot {
                list.push(value);
            }
            return;
        }
        let slot = map.entry(head.clone()).or_insert_with(|| Value::Object(Map::new()));
        if !slot.is_object() {
            *slot = Value::Object(Map::new());
        }
        map = match slot {
            Value::Object(inner) => inner,
            _ => return,
        };
    }
    map.insert(last.clone(), value);
}

/// An integer from text, saturating beyond `i64` and accepting a fractional part of zeros
/// (`"100.0"`, `" 7 "`, `"+3"`, `"-2.00"`); `None` for anything else.
fn saturating_int(s: &str) -> Option<i64> {
    let s = s.trim();
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b == b'0') {
        return None;
    }
    let mut n: i64 = 0;
    for b in int.bytes() {
        let d = i64::from(b - b'0');
        n = n.saturating_mul(10);
        n = if negative { n.saturating_sub(d) } else { n.saturating_add(d) };
    }
    Some(n)
}

/// Decodes `%XX` escapes and `+` (as a space). Bad escapes stay as they are; invalid UTF-8 is
/// replaced, never rejected: a query string should not be able to fail a request.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match (hex(b[i + 1]), hex(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Page parameters of a list endpoint, already made safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Page number from 1.
    pub page: i64,
    /// Items per page, within 1..=max.
    pub per_page: i64,
}

impl Paging {
    /// Reads `page` and `per_page` with [`Params::count`]: a page below 1 or unreadable is
    /// page 1 (a public exporter asks for page 0, REFERENCE §7.20), a huge one is past the
    /// end; a `per_page` below 1 or unreadable is the default, and anything above `max`
    /// (however large) is `max` (the service caps rather than refuses, §7.2).
    pub fn read(p: &Params, default: i64, max: i64) -> Self {
        let page = match p.count("page") {
            Field::Value(n) if n >= 1 => n,
            _ => 1,
        };
        let per_page = match p.count("per_page") {
            Field::Value(n) if n >= 1 => n.min(max),
            _ => default,
        };
        Paging { page, per_page }
    }

    /// Rows to skip. Saturates, so a huge page number is simply past the end.
    pub fn offset(self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// Reads `sort_order`: `asc` or `desc` (any case); anything else is the endpoint's default.
pub fn sort_desc(p: &Params, default_desc: bool) -> bool {
    match p.str("sort_order").map(|s| s.to_ascii_lowercase()).as_deref() {
        Some("asc") => false,
        Some("desc") => true,
        _ => default_desc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_form_keys() {
        let p = Params::from_urlencoded(
            "title=Hi+there&user%5Bemail%5D=a%40b.c&keys[]=1&keys[]=2&attachment[0][filename]=x.txt&bad[=1",
        )
        .unwrap();
        assert_eq!(p.text("title"), Field::Value("Hi there".into()));
        assert_eq!(p.get("user"), Some(&json!({"email": "a@b.c"})));
        assert_eq!(p.get("keys"), Some(&json!(["1", "2"])));
        assert_eq!(p.get("attachment"), Some(&json!({"0": {"filename": "x.txt"}})));
        assert_eq!(p.text("bad["), Field::Value("1".into()));
    }

    #[test]
    fn tolerant_scalars() {
        let p = Params::from_json(br#"{"a":"8","b":8,"c":"abc","d":null,"e":"","f":"true","g":{},"h":[1]}"#).unwrap();
        assert_eq!(p.int("a"), Field::Value(8));
        assert_eq!(p.int("b"), Field::Value(8));
        assert_eq!(p.int("c"), Field::Invalid);
        assert_eq!(p.int("d"), Field::Null);
        assert_eq!(p.int("e"), Field::Null);
        assert_eq!(p.bool("f"), Field::Value(true));
        assert_eq!(p.text("g"), Field::Absent);
        assert_eq!(p.int("h"), Field::Absent);
        assert_eq!(p.int("zzz"), Field::Absent);
        assert!(Params::from_json(b"{\"a\":").is_err());
        assert_eq!(Params::from_json(b"  ").unwrap(), Params::default());
    }

    #[test]
    fn percent_edges() {
        assert_eq!(percent_decode("%"), "%");
        assert_eq!(percent_decode("%4"), "%4");
        assert_eq!(percent_decode("%41%zz"), "A%zz");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
    }

    #[test]
    fn paging_edges() {
        let read = |q: &str| Paging::read(&Params::from_urlencoded(q).unwrap(), 30, 100);
        assert_eq!(read(""), Paging { page: 1, per_page: 30 });
        assert_eq!(read("page=0&per_page=0"), Paging { page: 1, per_page: 30 });
        assert_eq!(read("page=-3&per_page=abc"), Paging { page: 1, per_page: 30 });
        assert_eq!(read("page=2&per_page=1000"), Paging { page: 2, per_page: 100 });
        assert_eq!(read(&format!("page={}", i64::MAX)).offset(), i64::MAX);
    }

    #[test]
    fn paging_huge_and_fractional_numbers() {
        let read = |q: &str| Paging::read(&Params::from_urlencoded(q).unwrap(), 30, 100);
        let huge = read("page=99999999999999999999&per_page=9999999999999999999");
        assert_eq!(huge, Paging { page: i64::MAX, per_page: 100 }, "past the end, at the cap");
        assert_eq!(huge.offset(), i64::MAX);
        assert_eq!(read("page=2.0&per_page=100.0"), Paging { page: 2, per_page: 100 });
        assert_eq!(read("per_page=+7.00"), Paging { page: 1, per_page: 7 });
        assert_eq!(read("page=-99999999999999999999&per_page=-99999999999999999999"), Paging { page: 1, per_page: 30 });
        for garbage in ["per_page=1.5", "per_page=1e9", "per_page=abc", "per_page=.0", "per_page=-", "per_page=1.0x"] {
            assert_eq!(read(garbage), Paging { page: 1, per_page: 30 }, "{garbage}");
        }
        let json = |b: &str| Paging::read(&Params::from_json(b.as_bytes()).unwrap(), 30, 100);
        assert_eq!(json(r#"{"page":1e30,"per_page":100.0}"#), Paging { page: i64::MAX, per_page: 100 });
        assert_eq!(json(r#"{"page":18446744073709551615,"per_page":1.5}"#), Paging { page: i64::MAX, per_page: 30 });
    }

    #[test]
    fn deep_form_keys_are_refused_without_recursion() {
        let ok = format!("a{}=1", "[b]".repeat(MAX_DEPTH - 1));
        let p = Params::from_urlencoded(&ok).unwrap();
        let mut v = p.get("a").unwrap();
        for _ in 0..MAX_DEPTH - 2 {
            v = v.get("b").unwrap();
        }
        assert_eq!(v.get("b"), Some(&json!("1")));
        let deep = format!("a{}=1", "[b]".repeat(MAX_DEPTH));
        assert_eq!(Params::from_urlencoded(&deep), Err(TooDeep));
        assert!(crate::error::TOO_DEEP.contains(&format!("at most {MAX_DEPTH} levels")));
        // The hostile case: 10,000 levels (this overflowed the stack before).
        let hostile = format!("a{}=1", "[b]".repeat(10_000));
        assert_eq!(Params::from_urlencoded(&hostile), Err(TooDeep));
        assert_eq!(Params::default().insert_form(&format!("x{}", "[]".repeat(10_000)), json!(1)), Err(TooDeep));
        // JSON: serde_json's depth limit turns a deep body into a parse error.
        let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(Params::from_json(deep_json.as_bytes()), Err(MalformedJson));
        let deep_obj = format!("{}1{}", r#"{"a":"#.repeat(100_000), "}".repeat(100_000));
        assert_eq!(Params::from_json(deep_obj.as_bytes()), Err(MalformedJson));
    }
}
