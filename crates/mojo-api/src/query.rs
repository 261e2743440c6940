//! The ticket-search language of `GET /tickets/search`: the subset of Elasticsearch's
//! `query_string` (Lucene) syntax Mojo documents (REFERENCE §4): `field:value`,
//! `field:("quoted")`, `field:(<n)` / `(<=n)` / `(>n)` / `(>=n)`, ranges `[a TO b]` / `{a TO b}`
//! with `*` for an open end, `_exists_:field`, `AND` / `OR` / `NOT` and `&&` / `||` / `-` / `!`,
//! parentheses, wildcards `*` and `?`, value lists `status.id:(10 OR 20)`, and bare free text.
//!
//! One implementation serves both sides: the dashboard builds and validates queries with it, the
//! stand-in evaluates them. [`Query`]'s `Display` is the printer: it escapes every reserved
//! character of literal text, so any string a person types becomes a query meaning "this text";
//! [`parse`] reports errors with a position and a plain message. `parse(print(q)) == q`.
//!
//! Juxtaposed clauses (`a b`) combine with OR, as Elasticsearch's default operator does.

use std::fmt;

/// A query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// All must match (at least two clauses, none of them an `And`).
    And(Vec<Query>),
    /// One must match (at least two clauses, none of them an `Or`).
    Or(Vec<Query>),
    /// Must not match.
    Not(Box<Query>),
    /// `field:value`.
    Field(String, Value),
    /// `_exists_:field`.
    Exists(String),
    /// Free text, searched in every text field.
    Text(Value),
}

/// The value side of a clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A word, possibly with wildcards.
    Term(Vec<Piece>),
    /// `"a quoted phrase"` (the text, unescaped).
    Phrase(String),
    /// `(<n)`, `(>=2024-01-01T00:00:00Z)`.
    Compare(Cmp, String),
    /// `[lo TO hi]` (inclusive) or `{lo TO hi}` (exclusive); `None` is `*`.
    Range {
        /// Lower bound.
        lo: Option<String>,
        /// Upper bound.
        hi: Option<String>,
        /// `[` rather than `{` at the lower end.
        lo_inclusive: bool,
        /// `]` rather than `}` at the upper end.
        hi_inclusive: bool,
    },
    /// `(a OR b)`: any of (at least two).
    AnyOf(Vec<Value>),
    /// `(a AND b)`: all of (at least two).
    AllOf(Vec<Value>),
}

/// Part of a [`Value::Term`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Literal text (non-empty).
    Lit(String),
    /// `*`: any run of characters.
    AnyRun,
    /// `?`: any one character.
    AnyChar,
}

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Cmp {
    fn as_str(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// Why a query could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character position (0-based) where the problem is.
    pub position: usize,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

impl std::error::Error for ParseError {}

/// Characters that mean something in the syntax and must be escaped in literal text.
const RESERVED: &[char] =
    &['+', '-', '=', '&', '|', '>', '<', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '\\', '/'];

const KEYWORDS: &[&str] = &["AND", "OR", "NOT", "TO"];

impl Query {
    /// Free text meaning exactly "this text" (a phrase), whatever characters it holds.
    pub fn text(s: &str) -> Query {
        Query::Text(Value::Phrase(s.to_string()))
    }

    /// `field:"value"` as an exact phrase.
    pub fn field_phrase(field: &str, value: &str) -> Query {
        Query::Field(field.to_string(), Value::Phrase(value.to_string()))
    }

    /// `field:n`.
    pub fn field_term(field: &str, value: impl ToString) -> Query {
        Query::Field(field.to_string(), Value::Term(vec![Piece::Lit(value.to_string())]))
    }

    /// All of `parts`, flattened; one part is itself, none is `None`.
    pub fn all(parts: Vec<Query>) -> Option<Query> {
        combine(parts, true)
    }

    /// Any of `parts`, flattened.
    pub fn any(parts: Vec<Query>) -> Option<Query> {
        combine(parts, false)
    }
}

fn combine(parts: Vec<Query>, and: bool) -> Option<Query> {
    let mut flat = Vec::new();
    for p in parts {
        match (p, and) {
            (Query::And(v), true) | (Query::Or(v), false) => flat.extend(v),
            (p, _) => flat.push(p),
        }
    }
    match flat.len() {
        0 => None,
        1 => flat.pop(),
        _ => Some(if and { Query::And(flat) } else { Query::Or(flat) }),
    }
}

// ---------------------------------------------------------------- printer

fn write_escaped(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    for c in s.chars() {
        if RESERVED.contains(&c) || c.is_whitespace() {
            write!(f, "\\{c}")?;
        } else {
            write!(f, "{c}")?;
        }
    }
    Ok(())
}

fn write_phrase(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        if c == '"' || c == '\\' {
            write!(f, "\\{c}")?;
        } else {
            write!(f, "{c}")?;
        }
    }
    f.write_str("\"")
}

/// A bound of a range or comparison: printed bare when it is a plain token, quoted otherwise.
fn write_bound(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    let plain = !s.is_empty()
        && s != "*"
        && s != "TO"
        && !s.starts_with(['=', '<', '>'])
        && s.chars().all(|c| !c.is_whitespace() && !matches!(c, '"' | '\\' | '[' | ']' | '{' | '}' | '(' | ')'));
    if plain { f.write_str(s) } else { write_phrase(f, s) }
}

impl fmt::Display for Piece {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Piece::Lit(s) => write_escaped(f, s),
            Piece::AnyRun => f.write_str("*"),
            Piece::AnyChar => f.write_str("?"),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Term(pieces) => {
                // A keyword alone must not read as an operator: escape its first letter.
                if let [Piece::Lit(s)] = pieces.as_slice()
                    && KEYWORDS.contains(&s.as_str())
                {
                    return write!(f, "\\{s}");
                }
                pieces.iter().try_for_each(|p| write!(f, "{p}"))
            }
            Value::Phrase(s) => write_phrase(f, s),
            Value::Compare(op, v) => {
                write!(f, "({}", op.as_str())?;
                write_bound(f, v)?;
                f.write_str(")")
            }
            Value::Range { lo, hi, lo_inclusive, hi_inclusive } => {
                f.write_str(if *lo_inclusive { "[" } else { "{" })?;
                match lo {
                    Some(v) => write_bound(f, v)?,
                    None => f.write_str("*")?,
                }
                f.write_str(" TO ")?;
                match hi {
                    Some(v) => write_bound(f, v)?,
                    None => f.write_str("*")?,
                }
                f.write_str(if *hi_inclusive { "]" } else { "}" })
            }
            Value::AnyOf(vs) | Value::AllOf(vs) => {
                let sep = if matches!(self, Value::AnyOf(_)) { " OR " } else { " AND " };
                f.write_str("(")?;
                for (i, v) in vs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str(")")
            }
        }
    }
}

fn write_field(f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
    write_escaped(f, name)
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::And(qs) | Query::Or(qs) => {
                let sep = if matches!(self, Query::And(_)) { " AND " } else { " OR " };
                for (i, q) in qs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(sep)?;
                    }
                    if matches!(q, Query::And(_) | Query::Or(_)) {
                        write!(f, "({q})")?;
                    } else {
                        write!(f, "{q}")?;
                    }
                }
                Ok(())
            }
            Query::Not(q) => {
                if matches!(**q, Query::And(_) | Query::Or(_)) {
                    write!(f, "NOT ({q})")
                } else {
                    write!(f, "NOT {q}")
                }
            }
            Query::Field(name, v) => {
                write_field(f, name)?;
                write!(f, ":{v}")
            }
            Query::Exists(name) => {
                f.write_str("_exists_:")?;
                write_field(f, name)
            }
            Query::Text(v) => write!(f, "{v}"),
        }
    }
}

// ---------------------------------------------------------------- parser

/// Reads a query. An empty (or all-blank) query is `Ok(None)`: the service answers every ticket.
pub fn parse(input: &str) -> Result<Option<Query>, ParseError> {
    let mut p = Parser { chars: input.chars().collect(), pos: 0, depth: 0 };
    p.skip_ws();
    if p.at_end() {
        return Ok(None);
    }
    let q = p.or()?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.error(match p.peek() {
            Some(')') => "This closing parenthesis has no opening one.".into(),
            Some(c) => format!("Unexpected “{c}”."),
            None => "Unexpected end.".into(),
        }));
    }
    Ok(Some(q))
}

/// Nesting deeper than this is refused (hostile input must not exhaust the stack).
const MAX_NESTING: usize = 64;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError { position: self.pos.min(self.chars.len()), message: message.into() }
    }

    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos + k).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// True when an unescaped keyword stands here as a whole word.
    fn keyword(&self, word: &str) -> bool {
        let n = word.chars().count();
        let matches = word.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c));
        matches && self.peek_at(n).is_none_or(|c| c.is_whitespace() || c == '(' || c == ')' || c == '"')
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        if self.keyword(word) {
            self.pos += word.chars().count();
            true
        } else {
            false
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if s.chars().enumerate().all(|(i, c)| self.peek_at(i) == Some(c)) {
            self.pos += s.chars().count();
            true
        } else {
            false
        }
    }

    fn nest(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error("The query is nested too deeply."));
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Query, ParseError> {
        self.nest()?;
        let mut parts = vec![self.and()?];
        loop {
            self.skip_ws();
            if self.at_end() || self.peek() == Some(')') {
                break;
            }
            // Explicit OR, or juxtaposition (Elasticsearch's default operator is OR).
            if self.eat_keyword("OR") || self.eat("||") {
                self.skip_ws();
                if self.at_end() || self.peek() == Some(')') {
                    return Err(self.error("OR needs something after it."));
                }
            }
            parts.push(self.and()?);
        }
        self.depth -= 1;
        Ok(combine(parts, false).expect("one part at least"))
    }

    fn and(&mut self) -> Result<Query, ParseError> {
        let mut parts = vec![self.unary()?];
        loop {
            let save = self.pos;
            self.skip_ws();
            if self.eat_keyword("AND") || self.eat("&&") {
                self.skip_ws();
                if self.at_end() || self.peek() == Some(')') {
                    return Err(self.error("AND needs something after it."));
                }
                parts.push(self.unary()?);
            } else {
                self.pos = save;
                break;
            }
        }
        Ok(combine(parts, true).expect("one part at least"))
    }

    fn unary(&mut self) -> Result<Query, ParseError> {
        self.skip_ws();
        if self.eat_keyword("NOT") || self.eat("!") || (self.peek() == Some('-') && self.eat("-")) {
            self.skip_ws();
            if self.at_end() || self.peek() == Some(')') {
                return Err(self.error("NOT needs something after it."));
            }
            self.nest()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Query::Not(Box::new(inner)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Query, ParseError> {
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("The query ends where a search term was expected.")),
            Some('(') => {
                let open = self.pos;
                self.pos += 1;
                self.skip_ws();
                if self.peek() == Some(')') {
                    return Err(self.error("Empty parentheses."));
                }
                let q = self.or()?;
                self.skip_ws();
                if !self.eat(")") {
                    return Err(ParseError { position: open, message: "This parenthesis is never closed.".into() });
                }
                Ok(q)
            }
            Some(')') => Err(self.error("This closing parenthesis has no opening one.")),
            Some('"') => Ok(Query::Text(Value::Phrase(self.phrase()?))),
            Some(_) => {
                for kw in ["AND", "OR", "TO"] {
                    if self.keyword(kw) {
                        return Err(self.error(format!("{kw} needs a search term before it.")));
                    }
                }
                if self.field_ahead() {
                    let start = self.pos;
                    let name = self.field_name();
                    self.pos += 1; // ':'
                    if name == "_exists_" {
                        let field_start = self.pos;
                        let field = self.field_name();
                        if field.is_empty() {
                            self.pos = field_start;
                            return Err(self.error("_exists_: needs a field name."));
                        }
                        return Ok(Query::Exists(field));
                    }
                    if self.at_end() || self.peek().is_some_and(char::is_whitespace) {
                        return Err(ParseError { position: start, message: format!("“{name}:” needs a value.") });
                    }
                    let v = self.value()?;
                    return Ok(Query::Field(name, v));
                }
                Ok(Query::Text(self.term()?))
            }
        }
    }

    /// A field name (letters, digits, `_`, `.`, escapes) directly followed by `:`.
    fn field_ahead(&self) -> bool {
        let mut i = self.pos;
        let mut any = false;
        while let Some(&c) = self.chars.get(i) {
            if c == '\\' {
                if self.chars.get(i + 1).is_none() {
                    return false;
                }
                i += 2;
                any = true;
            } else if c.is_alphanumeric() || c == '_' || c == '.' || c == '@' {
                i += 1;
                any = true;
            } else {
                return any && c == ':';
            }
        }
        false
    }

    fn field_name(&mut self) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '\\'
                && let Some(n) = self.peek_at(1)
            {
                out.push(n);
                self.pos += 2;
                continue;
            }
            if c.is_alphanumeric() || c == '_' || c == '.' || c == '@' {
                out.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        out
    }

    fn phrase(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => {
                    return Err(ParseError { position: open, message: "This quotation mark is never closed.".into() });
                }
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    match self.peek_at(1) {
                        Some(c) => out.push(c),
                        None => return Err(self.error("A backslash ends the query: escape it as \\\\.")),
                    }
                    self.pos += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A bare word: literal pieces and unescaped wildcards, up to whitespace or syntax.
    fn term(&mut self) -> Result<Value, ParseError> {
        let start = self.pos;
        let mut pieces: Vec<Piece> = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.peek() {
            match c {
                '\\' => {
                    let Some(n) = self.peek_at(1) else {
                        return Err(self.error("A backslash ends the query: escape it as \\\\."));
                    };
                    lit.push(n);
                    self.pos += 2;
                }
                '*' | '?' => {
                    if !lit.is_empty() {
                        pieces.push(Piece::Lit(std::mem::take(&mut lit)));
                    }
                    pieces.push(if c == '*' { Piece::AnyRun } else { Piece::AnyChar });
                    self.pos += 1;
                }
                c if c.is_whitespace() || matches!(c, '(' | ')' | '"') => break,
                // As in Lucene, `-` and `+` inside a term are part of it (`2024-01-31`, `wi-fi`,
                // `c++`); only at its start are they operators.
                '-' | '+' if !lit.is_empty() || !pieces.is_empty() => {
                    lit.push(c);
                    self.pos += 1;
                }
                c if RESERVED.contains(&c) => {
                    return Err(self.error(format!(
                        "“{c}” has a meaning in search syntax; to search for it, put the text in quotes or write \\{c}."
                    )));
                }
                c => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        if pieces.is_empty() {
            self.pos = start;
            return Err(self.error("A search term was expected here."));
        }
        Ok(Value::Term(pieces))
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        match self.peek() {
            Some('"') => Ok(Value::Phrase(self.phrase()?)),
            Some('[') | Some('{') => self.range(),
            Some('(') => {
                let open = self.pos;
                self.pos += 1;
                self.skip_ws();
                if let Some(op) = self.cmp() {
                    self.skip_ws();
                    let bound = self.bound(&[')'])?;
                    self.skip_ws();
                    if !self.eat(")") {
                        return Err(ParseError { position: open, message: "This parenthesis is never closed.".into() });
                    }
                    return Ok(Value::Compare(op, bound));
                }
                self.nest()?;
                let v = self.value_list()?;
                self.depth -= 1;
                self.skip_ws();
                if !self.eat(")") {
                    return Err(ParseError { position: open, message: "This parenthesis is never closed.".into() });
                }
                Ok(v)
            }
            Some('<') | Some('>') => {
                let op = self.cmp().expect("a comparison");
                let bound = self.bound(&[')'])?;
                Ok(Value::Compare(op, bound))
            }
            _ => self.term(),
        }
    }

    fn cmp(&mut self) -> Option<Cmp> {
        if self.eat("<=") {
            Some(Cmp::Le)
        } else if self.eat(">=") {
            Some(Cmp::Ge)
        } else if self.eat("<") {
            Some(Cmp::Lt)
        } else if self.eat(">") {
            Some(Cmp::Gt)
        } else {
            None
        }
    }

    /// Values inside `field:( ... )`, combined with OR (explicit or implied) and AND.
    fn value_list(&mut self) -> Result<Value, ParseError> {
        let mut any: Vec<Value> = Vec::new();
        let mut all: Vec<Value> = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(')') || self.at_end() {
                break;
            }
            all.push(self.value()?);
            self.skip_ws();
            if self.eat_keyword("AND") || self.eat("&&") {
                continue;
            }
            let group = std::mem::take(&mut all);
            any.push(if group.len() == 1 { group.into_iter().next().expect("one") } else { Value::AllOf(group) });
            self.skip_ws();
            let _ = self.eat_keyword("OR") || self.eat("||");
        }
        if !all.is_empty() {
            any.push(if all.len() == 1 { all.pop().expect("one") } else { Value::AllOf(all) });
        }
        match any.len() {
            0 => Err(self.error("Empty parentheses.")),
            1 => Ok(any.pop().expect("one")),
            _ => Ok(Value::AnyOf(any)),
        }
    }

    /// A bound of a range or comparison: `*`, a quoted string, or a bare token.
    fn bound(&mut self, stops: &[char]) -> Result<String, ParseError> {
        if self.peek() == Some('"') {
            return self.phrase();
        }
        let start = self.pos;
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || stops.contains(&c) {
                break;
            }
            out.push(c);
            self.pos += 1;
        }
        if out.is_empty() {
            self.pos = start;
            return Err(self.error("A value was expected here."));
        }
        Ok(out)
    }

    fn range(&mut self) -> Result<Value, ParseError> {
        let open = self.pos;
        let lo_inclusive = self.peek() == Some('[');
        self.pos += 1;
        self.skip_ws();
        let unclosed = |p: &Parser| ParseError {
            position: open.min(p.chars.len()),
            message: "This range is never closed with ] or }.".into(),
        };
        if self.at_end() {
            return Err(unclosed(self));
        }
        let quoted = self.peek() == Some('"');
        let lo = self.bound(&[']', '}'])?;
        self.skip_ws();
        if self.at_end() {
            return Err(unclosed(self));
        }
        if !self.eat_keyword("TO") {
            return Err(self.error("A range needs TO between its ends: [a TO b]."));
        }
        self.skip_ws();
        if self.at_end() {
            return Err(unclosed(self));
        }
        let hi_quoted = self.peek() == Some('"');
        let hi = self.bound(&[']', '}'])?;
        self.skip_ws();
        let hi_inclusive = match self.peek() {
            Some(']') => true,
            Some('}') => false,
            _ => return Err(ParseError { position: open, message: "This range is never closed with ] or }.".into() }),
        };
        self.pos += 1;
        let open_end = |s: String, q: bool| if s == "*" && !q { None } else { Some(s) };
        Ok(Value::Range { lo: open_end(lo, quoted), hi: open_end(hi, hi_quoted), lo_inclusive, hi_inclusive })
    }
}

#[cfg(test)]
mod tests;
