//! Raw HTML from the manuscript → well-formed, safe XHTML.
//!
//! A small tolerant tokenizer reads whatever an author wrote (unclosed tags, unquoted
//! attributes, stray `<`, entities), and [`Sanitizer`] re-serialises it through an allowlist of
//! elements and attributes. Scripts, styles, frames, objects, event handlers and `javascript:`
//! URLs never come out; unknown tags are dropped (their text kept), unbalanced tags are closed
//! or ignored, void elements are self-closed and entities become characters. The output is
//! always well-formed XML and valid where EPUBCheck looks at content models (no block inside a
//! paragraph, `li` only in lists, table rows only in tables).
//!
//! The writers also use [`escape_text`] and [`escape_attr`] for every string they emit, so
//! that characters XML forbids (control characters, noncharacters) never reach a package.

/// Where sanitised HTML lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Block level (an HTML block): flow content such as `div`, `p`, `table` is allowed.
    Flow,
    /// Inside a paragraph, heading or other phrasing container: only phrasing elements.
    Phrasing,
}

/// Appends `s` to `out` as XML character data.
pub fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// Appends `s` to `out` for use inside a double-quoted XML attribute.
pub fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Attribute-value normalisation would turn these into spaces anyway.
            '\n' | '\r' | '\t' => out.push(' '),
            c if xml_char(c) => out.push(c),
            _ => {}
        }
    }
}

/// `s` escaped as XML character data.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_text(s, &mut out);
    out
}

/// `s` escaped for a double-quoted attribute.
pub fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_attr(s, &mut out);
    out
}

/// Whether a character may appear in an XHTML document: XML 1.0 `Char`, minus the C1 controls
/// and noncharacters that HTML forbids.
pub fn xml_char(c: char) -> bool {
    let u = c as u32;
    matches!(c, '\t' | '\n' | '\r')
        || (0x20..0x7F).contains(&u)
        || (0xA0..0xFDD0).contains(&u)
        || (0xFDF0..0xFFFE).contains(&u)
        || (u > 0xFFFF && (u & 0xFFFE) != 0xFFFE)
}

/// Sanitises one complete fragment: every element it opens is closed at its end.
pub fn sanitize(html: &str, context: Context) -> String {
    let mut out = String::new();
    let mut s = Sanitizer::new(context, false);
    s.feed(html, &mut out);
    s.finish(&mut out);
    out
}

/// Whether a URL is safe to link to from a book: web and mail links only (no `javascript:`,
/// `data:` or relative paths, which would point outside the package).
pub fn safe_external_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_control() && *c != ' ')
        .flat_map(char::to_lowercase)
        .collect();
    ["http://", "https://", "mailto:", "ftp://", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len())
}

/// Percent-encodes the characters that may not appear in a URL attribute (spaces, quotes,
/// angle brackets, non-ASCII), leaving existing `%XX` escapes alone.
pub fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// Decoded character data.
    Text(String),
    Start {
        /// Lower-case tag name.
        name: String,
        /// Lower-case attribute names with decoded values, in source order.
        attrs: Vec<(String, String)>,
        self_closing: bool,
    },
    End {
        name: String,
    },
}

/// Elements whose content is raw text; the tokenizer skips it without looking for tags, and
/// the sanitiser drops the element and its content.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

fn tokenize(input: &str) -> Vec<Token> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    let flush = |text: &mut String, tokens: &mut Vec<Token>| {
        if !text.is_empty() {
            tokens.push(Token::Text(decode_entities(text)));
            text.clear();
        }
    };
    while i < bytes.len() {
        let rest = &input[i..];
        if bytes[i] != b'<' {
            let next = rest.find('<').map(|p| i + p).unwrap_or(bytes.len());
            text.push_str(&input[i..next]);
            i = next;
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            flush(&mut text, &mut tokens);
            i = match comment.find("-->") {
                Some(p) => i + 4 + p + 3,
                None => bytes.len(),
            };
            continue;
        }
        if let Some(body) = rest.strip_prefix("<![CDATA[") {
            flush(&mut text, &mut tokens);
            let (content, used) = match body.find("]]>") {
                Some(p) => (&body[..p], 9 + p + 3),
                None => (body, rest.len()),
            };
            tokens.push(Token::Text(content.to_string()));
            i += used;
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            flush(&mut text, &mut tokens);
            i = match rest.find('>') {
                Some(p) => i + p + 1,
                None => bytes.len(),
            };
            continue;
        }
        let is_end = rest.starts_with("</");
        let name_start = if is_end { 2 } else { 1 };
        if !rest[name_start..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            // A lone `<` (as in `a < b`) is text.
            text.push('<');
            i += 1;
            continue;
        }
        let Some((token, used)) = parse_tag(&rest[name_start..], is_end) else {
            // An unterminated tag cannot be salvaged: keep it as text.
            text.push_str(rest);
            break;
        };
        flush(&mut text, &mut tokens);
        i += name_start + used;
        if let Token::Start {
            name,
            self_closing: false,
            ..
        } = &token
        {
            if RAW_TEXT.contains(&name.as_str()) {
                // Skip the raw text up to the matching end tag (case-insensitive).
                let close = format!("</{name}");
                let lower = input[i..].to_ascii_lowercase();
                let name = name.clone();
                tokens.push(token);
                match lower.find(&close) {
                    Some(p) => {
                        let after = i + p;
                        let end = input[after..]
                            .find('>')
                            .map(|q| after + q + 1)
                            .unwrap_or(bytes.len());
                        tokens.push(Token::End { name });
                        i = end;
                    }
                    None => i = bytes.len(),
                }
                continue;
            }
        }
        tokens.push(token);
    }
    flush(&mut text, &mut tokens);
    tokens
}

/// Parses a tag from just after `<` or `</`. Returns the token and the bytes consumed, or `None`
/// when the input ends before `>`.
fn parse_tag(s: &str, is_end: bool) -> Option<(Token, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    let name = s[..i].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            i += 1;
            break;
        }
        self_closing = false;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        if i == start {
            // `=` with no name: skip it.
            i += 1;
            continue;
        }
        let attr_name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i] as char;
                let rest = &s[i + 1..];
                let end = rest.find(q)?;
                value = decode_entities(&rest[..end]);
                i += 1 + end + 1;
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = decode_entities(&s[vstart..i]);
            }
        }
        if !attrs.iter().any(|(n, _)| *n == attr_name) {
            attrs.push((attr_name, value));
        }
    }
    let token = if is_end {
        Token::End { name }
    } else {
        Token::Start {
            name,
            attrs,
            self_closing,
        }
    };
    Some((token, i))
}

/// Replaces character references (`&amp;`, `&nbsp;`, `&#8212;`, `&#x2014;`) with characters.
/// Unknown or malformed references are kept as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1)
            .unwrap_or(rest.len());
        let body = &rest[1..end];
        let has_semi = rest[end..].starts_with(';');
        let decoded = if let Some(num) = body.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse::<u32>().ok(),
            };
            n.map(|n| match char::from_u32(n) {
                Some(c) if n != 0 && xml_char(c) => c,
                _ => '\u{FFFD}',
            })
            .map(String::from)
        } else if has_semi {
            named_entity(body).map(str::to_string)
        } else {
            None
        };
        match decoded {
            Some(d) if !body.is_empty() => {
                out.push_str(&d);
                rest = &rest[end + usize::from(has_semi)..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The named character references an author is likely to type.
fn named_entity(name: &str) -> Option<&'static str> {
    const TABLE: &[(&str, &str)] = &[
        ("amp", "&"),
        ("lt", "<"),
        ("gt", ">"),
        ("quot", "\""),
        ("apos", "'"),
        ("nbsp", "\u{A0}"),
        ("shy", "\u{AD}"),
        ("ensp", "\u{2002}"),
        ("emsp", "\u{2003}"),
        ("thinsp", "\u{2009}"),
        ("hairsp", "\u{200A}"),
        ("zwnj", "\u{200C}"),
        ("zwj", "\u{200D}"),
        ("lrm", "\u{200E}"),
        ("rlm", "\u{200F}"),
        ("ndash", "–"),
        ("mdash", "—"),
        ("hellip", "…"),
        ("lsquo", "‘"),
        ("rsquo", "’"),
        ("sbquo", "‚"),
        ("ldquo", "“"),
        ("rdquo", "”"),
        ("bdquo", "„"),
        ("laquo", "«"),
        ("raquo", "»"),
        ("lsaquo", "‹"),
        ("rsaquo", "›"),
        ("copy", "©"),
        ("reg", "®"),
        ("trade", "™"),
        ("sect", "§"),
        ("para", "¶"),
        ("middot", "·"),
        ("bull", "•"),
        ("dagger", "†"),
        ("Dagger", "‡"),
        ("deg", "°"),
        ("plusmn", "±"),
        ("times", "×"),
        ("divide", "÷"),
        ("minus", "−"),
        ("frac12", "½"),
        ("frac14", "¼"),
        ("frac34", "¾"),
        ("sup1", "¹"),
        ("sup2", "²"),
        ("sup3", "³"),
        ("permil", "‰"),
        ("prime", "′"),
        ("Prime", "″"),
        ("euro", "€"),
        ("pound", "£"),
        ("yen", "¥"),
        ("cent", "¢"),
        ("curren", "¤"),
        ("iexcl", "¡"),
        ("iquest", "¿"),
        ("ordf", "ª"),
        ("ordm", "º"),
        ("micro", "µ"),
        ("larr", "←"),
        ("rarr", "→"),
        ("uarr", "↑"),
        ("darr", "↓"),
        ("harr", "↔"),
        ("hearts", "♥"),
        ("loz", "◊"),
        ("szlig", "ß"),
        ("aelig", "æ"),
        ("AElig", "Æ"),
        ("oelig", "œ"),
        ("OElig", "Œ"),
        ("oslash", "ø"),
        ("Oslash", "Ø"),
        ("aring", "å"),
        ("Aring", "Å"),
        ("ccedil", "ç"),
        ("Ccedil", "Ç"),
        ("eth", "ð"),
        ("ETH", "Ð"),
        ("thorn", "þ"),
        ("THORN", "Þ"),
        ("ntilde", "ñ"),
        ("Ntilde", "Ñ"),
        ("aacute", "á"),
        ("eacute", "é"),
        ("iacute", "í"),
        ("oacute", "ó"),
        ("uacute", "ú"),
        ("yacute", "ý"),
        ("Aacute", "Á"),
        ("Eacute", "É"),
        ("Iacute", "Í"),
        ("Oacute", "Ó"),
        ("Uacute", "Ú"),
        ("agrave", "à"),
        ("egrave", "è"),
        ("igrave", "ì"),
        ("ograve", "ò"),
        ("ugrave", "ù"),
        ("Agrave", "À"),
        ("Egrave", "È"),
        ("acirc", "â"),
        ("ecirc", "ê"),
        ("icirc", "î"),
        ("ocirc", "ô"),
        ("ucirc", "û"),
        ("auml", "ä"),
        ("euml", "ë"),
        ("iuml", "ï"),
        ("ouml", "ö"),
        ("uuml", "ü"),
        ("yuml", "ÿ"),
        ("Auml", "Ä"),
        ("Ouml", "Ö"),
        ("Uuml", "Ü"),
        ("atilde", "ã"),
        ("otilde", "õ"),
    ];
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

// ---------------------------------------------------------------------------------------------
// The allowlist

/// What an allowed element may be and hold.
#[derive(Debug, Clone, Copy)]
struct Spec {
    /// The name written out (some elements are rewritten, e.g. `article` → `div`).
    out: &'static str,
    /// Phrasing element (allowed inside paragraphs); otherwise flow only.
    phrasing: bool,
    /// Its content is phrasing only (`p`, `h1`, `em` …).
    holds_phrasing: bool,
    /// Self-closed, no content.
    void: bool,
    /// Allowed only directly inside one of these.
    parents: &'static [&'static str],
}

const fn el(out: &'static str, phrasing: bool, holds_phrasing: bool) -> Spec {
    Spec {
        out,
        phrasing,
        holds_phrasing,
        void: false,
        parents: &[],
    }
}

const fn child(out: &'static str, parents: &'static [&'static str], holds_phrasing: bool) -> Spec {
    Spec {
        out,
        phrasing: false,
        holds_phrasing,
        void: false,
        parents,
    }
}

const TABLE_SECTIONS: &[&str] = &["table", "thead", "tbody", "tfoot"];

fn spec(name: &str) -> Option<Spec> {
    let phr = |out| Some(el(out, true, true));
    match name {
        "a" => phr("a"),
        "abbr" | "b" | "bdi" | "cite" | "code" | "del" | "dfn" | "em" | "i" | "ins" | "kbd"
        | "mark" | "q" | "s" | "samp" | "small" | "span" | "strong" | "sub" | "sup" | "u"
        | "var" => phr(static_name(name)),
        "bdo" => phr("bdo"),
        "strike" => phr("s"),
        "tt" => phr("code"),
        "big" | "font" | "time" | "data" | "nobr" => phr("span"),
        "br" | "wbr" => Some(Spec {
            void: true,
            ..el(static_name(name), true, true)
        }),
        "hr" => Some(Spec {
            void: true,
            ..el("hr", false, true)
        }),
        "p" => Some(el("p", false, true)),
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "pre" => Some(el(static_name(name), false, true)),
        "div" | "blockquote" | "section" => Some(el(static_name(name), false, false)),
        "article" | "aside" | "header" | "footer" | "address" | "main" | "nav" | "figure"
        | "figcaption" | "center" | "details" | "summary" => Some(el("div", false, false)),
        "ul" | "ol" | "dl" | "table" => Some(el(static_name(name), false, false)),
        "li" => Some(child("li", &["ul", "ol"], false)),
        "dt" => Some(child("dt", &["dl"], true)),
        "dd" => Some(child("dd", &["dl"], false)),
        "caption" => Some(child("caption", &["table"], true)),
        "thead" | "tbody" | "tfoot" => Some(child(static_name(name), &["table"], false)),
        "tr" => Some(child("tr", TABLE_SECTIONS, false)),
        "td" | "th" => Some(child(static_name(name), &["tr"], false)),
        _ => None,
    }
}

/// Interns the allowlisted names (so specs can hold `&'static str`).
fn static_name(name: &str) -> &'static str {
    const NAMES: &[&str] = &[
        "abbr",
        "b",
        "bdi",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
        "var",
        "br",
        "wbr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "div",
        "blockquote",
        "section",
        "ul",
        "ol",
        "dl",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "td",
        "th",
    ];
    NAMES
        .iter()
        .find(|n| **n == name)
        .copied()
        .unwrap_or("span")
}

/// Elements dropped together with everything inside them.
const DROP_WITH_CONTENT: &[&str] = &[
    "object", "embed", "applet", "template", "svg", "math", "head", "form", "button", "select",
    "input", "video", "audio", "canvas", "map", "frameset", "frame", "link", "meta", "base",
    "param", "source", "track", "colgroup", "col",
];

/// Elements that hold only certain children (no text, no other elements).
fn structural_children(parent: &str) -> Option<&'static [&'static str]> {
    match parent {
        "ul" | "ol" => Some(&["li"]),
        "dl" => Some(&["dt", "dd"]),
        "table" => Some(&["caption", "thead", "tbody", "tfoot", "tr"]),
        "thead" | "tbody" | "tfoot" => Some(&["tr"]),
        "tr" => Some(&["td", "th"]),
        _ => None,
    }
}

const VOID_INPUT: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

// ---------------------------------------------------------------------------------------------
// The sanitiser

#[derive(Debug, Clone)]
struct Open {
    name: &'static str,
    holds_phrasing: bool,
    /// Children written so far (a `caption` must come first in its table).
    children: usize,
}

#[derive(Debug, Clone)]
struct Skip {
    name: String,
    depth: usize,
}

/// A streaming sanitiser. Feed it the fragments of one container (a paragraph's inline HTML
/// pieces arrive one tag at a time), ask [`Sanitizer::suppressing`] before writing the text in
/// between, and call [`Sanitizer::finish`] to close what is still open.
#[derive(Debug, Clone)]
pub struct Sanitizer {
    context: Context,
    /// The fragment sits inside a link already (no nested `<a>`).
    in_link: bool,
    stack: Vec<Open>,
    skip: Option<Skip>,
}

impl Sanitizer {
    pub fn new(context: Context, in_link: bool) -> Self {
        Sanitizer {
            context,
            in_link,
            stack: Vec::new(),
            skip: None,
        }
    }

    /// True while inside a dropped element (`<script>` …): text between fragments is dropped too.
    pub fn suppressing(&self) -> bool {
        self.skip.is_some()
    }

    /// True when text written now would be misplaced (directly inside a list or table).
    fn text_forbidden(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|o| structural_children(o.name).is_some())
    }

    /// True while a link this sanitiser opened is open (Markdown links inside must not nest).
    pub fn inside_link(&self) -> bool {
        self.stack.iter().any(|o| o.name == "a")
    }

    /// Whether text from outside (Markdown text between fragments) may be written now.
    pub fn accepts_text(&self) -> bool {
        !self.suppressing() && !self.text_forbidden()
    }

    /// Sanitises one fragment into `out`.
    pub fn feed(&mut self, html: &str, out: &mut String) {
        for token in tokenize(html) {
            match token {
                Token::Text(t) => self.text(&t, out),
                Token::Start {
                    name,
                    attrs,
                    self_closing,
                } => self.start(&name, &attrs, self_closing, out),
                Token::End { name } => self.end(&name, out),
            }
        }
    }

    /// Closes every element this sanitiser opened.
    pub fn finish(&mut self, out: &mut String) {
        while let Some(o) = self.stack.pop() {
            close(o.name, out);
        }
        self.skip = None;
    }

    fn text(&mut self, t: &str, out: &mut String) {
        if self.suppressing() {
            return;
        }
        if self.text_forbidden() {
            // Text loose in a list or table has no valid place; whitespace is harmless.
            if t.trim().is_empty() {
                out.push_str(t);
            }
            return;
        }
        escape_text(t, out);
    }

    fn holds_phrasing_only(&self) -> bool {
        self.context == Context::Phrasing || self.stack.iter().any(|o| o.holds_phrasing)
    }

    fn start(
        &mut self,
        name: &str,
        attrs: &[(String, String)],
        self_closing: bool,
        out: &mut String,
    ) {
        if let Some(skip) = &mut self.skip {
            if skip.name == name && !self_closing && !VOID_INPUT.contains(&name) {
                skip.depth += 1;
            }
            return;
        }
        if RAW_TEXT.contains(&name) || DROP_WITH_CONTENT.contains(&name) {
            if !self_closing && !VOID_INPUT.contains(&name) {
                self.skip = Some(Skip {
                    name: name.to_string(),
                    depth: 1,
                });
            }
            return;
        }
        if name == "img" || name == "image" {
            // Raw images point at files the package does not carry; keep their description.
            if let Some((_, alt)) = attrs.iter().find(|(n, _)| n == "alt") {
                if !alt.trim().is_empty() && !self.text_forbidden() {
                    escape_text(alt, out);
                }
            }
            return;
        }
        let Some(spec) = spec(name) else {
            return;
        };
        // Implied end tags, as an HTML parser would add them.
        self.imply_end(spec.out, out);
        if !spec.phrasing && self.holds_phrasing_only() {
            return;
        }
        let parent = self.stack.last();
        if !spec.parents.is_empty() && !parent.is_some_and(|p| spec.parents.contains(&p.name)) {
            return;
        }
        if let Some(p) = parent {
            if let Some(allowed) = structural_children(p.name) {
                if !allowed.contains(&spec.out) {
                    return;
                }
            }
            if spec.out == "caption" && p.children > 0 {
                return;
            }
        }
        let in_link = self.in_link || self.stack.iter().any(|o| o.name == "a");
        let mut attr_out = String::new();
        if spec.out == "a" {
            if in_link {
                return;
            }
            match attrs.iter().find(|(n, _)| n == "href") {
                Some((_, href)) if safe_external_url(href) => {
                    attr_out.push_str(" href=\"");
                    escape_attr(&encode_url(href), &mut attr_out);
                    attr_out.push('"');
                }
                _ => return,
            }
        }
        if spec.out == "bdo" && !attrs.iter().any(|(n, v)| n == "dir" && valid_dir(v)) {
            return;
        }
        for (n, v) in attrs {
            if let Some(a) = allowed_attr(spec.out, n, v) {
                attr_out.push_str(&a);
            }
        }
        if let Some(p) = self.stack.last_mut() {
            p.children += 1;
        }
        out.push('<');
        out.push_str(spec.out);
        out.push_str(&attr_out);
        if spec.void {
            out.push_str("/>");
            return;
        }
        out.push('>');
        if self_closing {
            close(spec.out, out);
            return;
        }
        self.stack.push(Open {
            name: spec.out,
            holds_phrasing: spec.holds_phrasing,
            children: 0,
        });
    }

    /// Closes elements that an opening `name` ends implicitly: a `p` before a block, an `li`
    /// before the next `li`, a cell before the next cell.
    fn imply_end(&mut self, name: &str, out: &mut String) {
        let targets: &[&[&str]] = match name {
            "li" => &[&["li"]],
            "dt" | "dd" => &[&["dt", "dd"]],
            "td" | "th" => &[&["td", "th"]],
            "tr" => &[&["tr"]],
            "thead" | "tbody" | "tfoot" => &[&["thead", "tbody", "tfoot"], &["tr"]],
            _ if spec(name).is_some_and(|s| !s.phrasing) => &[&["p"]],
            _ => &[],
        };
        // Only close through the innermost open element of those kinds, and never past a
        // list or table boundary of its own.
        let boundary = ["ul", "ol", "dl", "table", "blockquote", "div", "section"];
        for names in targets {
            let Some(pos) = self.stack.iter().rposition(|o| names.contains(&o.name)) else {
                continue;
            };
            if self.stack[pos + 1..]
                .iter()
                .any(|o| boundary.contains(&o.name))
            {
                return;
            }
            while self.stack.len() > pos {
                if let Some(o) = self.stack.pop() {
                    close(o.name, out);
                }
            }
            return;
        }
    }

    fn end(&mut self, name: &str, out: &mut String) {
        if let Some(skip) = &mut self.skip {
            if skip.name == name {
                skip.depth -= 1;
                if skip.depth == 0 {
                    self.skip = None;
                }
            }
            return;
        }
        let Some(spec) = spec(name) else {
            return;
        };
        let Some(pos) = self.stack.iter().rposition(|o| o.name == spec.out) else {
            return;
        };
        while self.stack.len() > pos {
            if let Some(o) = self.stack.pop() {
                close(o.name, out);
            }
        }
    }
}

fn close(name: &str, out: &mut String) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn valid_dir(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "ltr" | "rtl" | "auto"
    )
}

/// One allowed attribute, serialised with its leading space, or `None` to drop it.
fn allowed_attr(element: &str, name: &str, value: &str) -> Option<String> {
    let v = value.trim();
    let num = |max: u32| v.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
    let written = match (element, name) {
        (_, "class") | (_, "title") => value.to_string(),
        (_, "lang") | (_, "xml:lang") if crate::config::valid_language_tag(v) => {
            let mut a = String::new();
            a.push_str(" lang=\"");
            escape_attr(v, &mut a);
            a.push_str("\" xml:lang=\"");
            escape_attr(v, &mut a);
            a.push('"');
            return Some(a);
        }
        (_, "dir") if valid_dir(v) => v.to_ascii_lowercase(),
        ("ol", "start") => v.parse::<i64>().ok()?.to_string(),
        ("ol", "reversed") => "reversed".to_string(),
        ("ol", "type") if matches!(v, "1" | "a" | "A" | "i" | "I") => v.to_string(),
        ("td" | "th", "colspan") => num(1000)?.to_string(),
        ("td" | "th", "rowspan") => num(65534)?.to_string(),
        ("th", "scope") if matches!(v, "row" | "col" | "rowgroup" | "colgroup") => v.to_string(),
        _ => return None,
    };
    let mut a = String::new();
    a.push(' ');
    a.push_str(name);
    a.push_str("=\"");
    escape_attr(&written, &mut a);
    a.push('"');
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flow(s: &str) -> String {
        sanitize(s, Context::Flow)
    }

    fn phrasing(s: &str) -> String {
        sanitize(s, Context::Phrasing)
    }

    #[test]
    fn keeps_simple_markup() {
        assert_eq!(
            flow("<p>Hello <b>world</b></p>"),
            "<p>Hello <b>world</b></p>"
        );
        assert_eq!(
            flow("<div class=\"note\">x</div>"),
            "<div class=\"note\">x</div>"
        );
    }

    #[test]
    fn closes_unclosed_and_nested_tags() {
        assert_eq!(flow("<p><em>one <b>two"), "<p><em>one <b>two</b></em></p>");
        assert_eq!(flow("<em><b>x</em> y</b>"), "<em><b>x</b></em> y");
        assert_eq!(flow("<div><div>a</div>"), "<div><div>a</div></div>");
    }

    #[test]
    fn drops_stray_end_tags() {
        assert_eq!(flow("a</b> c</div>"), "a c");
    }

    #[test]
    fn unquoted_and_single_quoted_attributes() {
        assert_eq!(
            flow("<span class=big title='a \"q\"'>x</span>"),
            "<span class=\"big\" title=\"a &quot;q&quot;\">x</span>"
        );
        assert_eq!(
            flow("<a href=https://example.org/a?b=1&amp;c=2>l</a>"),
            "<a href=\"https://example.org/a?b=1&amp;c=2\">l</a>"
        );
    }

    #[test]
    fn void_elements_self_close() {
        assert_eq!(phrasing("a<br>b"), "a<br/>b");
        assert_eq!(phrasing("a<br/>b<BR >"), "a<br/>b<br/>");
        assert_eq!(flow("<hr>"), "<hr/>");
    }

    #[test]
    fn images_and_event_handlers_are_removed() {
        assert_eq!(flow("<img src=x onerror=alert(1)>"), "");
        assert_eq!(flow("<img src=x alt=\"A map\" onerror=alert(1)>"), "A map");
        assert_eq!(
            flow("<p onclick=\"steal()\" class=x>t</p>"),
            "<p class=\"x\">t</p>"
        );
        assert_eq!(
            flow("<span onmouseover='x' style='color:red'>t</span>"),
            "<span>t</span>"
        );
    }

    #[test]
    fn scripts_and_their_content_are_removed() {
        assert_eq!(flow("a<script>alert('<b>x</b>')</script>b"), "ab");
        assert_eq!(flow("a<SCRIPT type=x>if (a<b) {}</SCRIPT >b"), "ab");
        assert_eq!(flow("<style>p{color:red}</style>ok"), "ok");
        assert_eq!(flow("<iframe src=\"https://x\">no</iframe>ok"), "ok");
        assert_eq!(flow("<object data=x><p>fallback</p></object>ok"), "ok");
        assert_eq!(flow("<embed src=x>ok"), "ok");
        assert_eq!(flow("<script>never closed <p>x</p>"), "");
    }

    #[test]
    fn javascript_urls_are_removed() {
        assert_eq!(flow("<a href=\"javascript:alert(1)\">x</a>"), "x");
        assert_eq!(flow("<a href=\" JaVaScRiPt:alert(1)\">x</a>"), "x");
        assert_eq!(flow("<a href=\"data:text/html,x\">x</a>"), "x");
        assert_eq!(flow("<a href=\"#local\">x</a>"), "x");
    }

    #[test]
    fn comments_cdata_doctype() {
        assert_eq!(flow("a<!-- <b>hidden</b> -->b"), "ab");
        assert_eq!(flow("a<!-- never closed"), "a");
        assert_eq!(flow("<![CDATA[x < y & z]]>"), "x &lt; y &amp; z");
        assert_eq!(flow("<!DOCTYPE html><?php echo 1 ?>t"), "t");
    }

    #[test]
    fn entities_become_characters() {
        assert_eq!(flow("a&nbsp;b"), "a\u{A0}b");
        assert_eq!(flow("&mdash;&#8212;&#x2014;&#X2014;"), "————");
        assert_eq!(flow("&copy; &eacute;"), "© é");
        assert_eq!(flow("&amp;lt;"), "&amp;lt;");
        assert_eq!(
            flow("AT&T &unknown; &#0; &#xD800;"),
            "AT&amp;T &amp;unknown; \u{FFFD} \u{FFFD}"
        );
        assert_eq!(flow("&lt;script&gt;"), "&lt;script&gt;");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(flow("1 < 2 > 0"), "1 &lt; 2 &gt; 0");
        assert_eq!(
            flow("<p>x <b class=\"unterminated"),
            "<p>x &lt;b class=\"unterminated</p>"
        );
    }

    #[test]
    fn blocks_not_allowed_in_phrasing() {
        assert_eq!(phrasing("<div>x</div>"), "x");
        assert_eq!(phrasing("<p>x</p><table><tr><td>y"), "xy");
        assert_eq!(flow("<p>a<div>b</div>"), "<p>a</p><div>b</div>");
        assert_eq!(flow("<p>a<p>b"), "<p>a</p><p>b</p>");
    }

    #[test]
    fn list_and_table_structure() {
        assert_eq!(flow("<ul><li>a<li>b</ul>"), "<ul><li>a</li><li>b</li></ul>");
        assert_eq!(flow("<li>orphan</li>"), "orphan");
        assert_eq!(flow("<ul>loose<li>x</li></ul>"), "<ul><li>x</li></ul>");
        assert_eq!(
            flow("<table><tr><td>1<td>2<tr><th scope=col colspan=2>h</table>"),
            "<table><tr><td>1</td><td>2</td></tr><tr><th scope=\"col\" colspan=\"2\">h</th></tr></table>"
        );
        assert_eq!(flow("<td>cell</td>"), "cell");
    }

    #[test]
    fn no_nested_links() {
        let mut out = String::new();
        let mut s = Sanitizer::new(Context::Phrasing, true);
        s.feed("<a href=\"https://x.org\">y</a>", &mut out);
        s.finish(&mut out);
        assert_eq!(out, "y");
        assert_eq!(
            flow("<a href=\"https://a.org\">1<a href=\"https://b.org\">2</a></a>"),
            "<a href=\"https://a.org\">12</a>"
        );
    }

    #[test]
    fn streaming_across_fragments() {
        let mut out = String::new();
        let mut s = Sanitizer::new(Context::Phrasing, false);
        s.feed("<script>", &mut out);
        assert!(s.suppressing());
        s.feed("</script>", &mut out);
        assert!(!s.suppressing());
        s.feed("<b>", &mut out);
        out.push_str("bold");
        s.feed("</b>", &mut out);
        s.feed("<i>", &mut out);
        s.finish(&mut out);
        assert_eq!(out, "<b>bold</b><i></i>");
    }

    #[test]
    fn forbidden_characters_never_escape() {
        assert_eq!(text("a\u{0}b\u{1B}c\u{FFFF}"), "abc");
        assert_eq!(attr("\"x\"\n"), "&quot;x&quot; ");
        assert_eq!(flow("a&#1;b"), "a\u{FFFD}b");
    }

    #[test]
    fn languages_and_directions() {
        assert_eq!(
            flow("<span lang=km>ខ្មែរ</span><span lang='bad lang!'>x</span><bdo>y</bdo>"),
            "<span lang=\"km\" xml:lang=\"km\">ខ្មែរ</span><span>x</span>y"
        );
    }

    #[test]
    fn output_is_always_well_formed() {
        let nasty = [
            "<",
            "<<>>",
            "</",
            "<a",
            "<a href=",
            "<a href='x",
            "&",
            "&#",
            "&#x;",
            "<p></p></p>",
            "<ul><li><ul><li>x</ul>",
            "<table><td>x",
            "<b><i><u>x</b>",
            "<!--",
            "<![CDATA[",
            "<x:y>z</x:y>",
            "<p =x>t",
            "<svg><script>x</script></svg>t",
            "<br/ >",
            "<q/>",
        ];
        for n in nasty {
            for ctx in [Context::Flow, Context::Phrasing] {
                let out = sanitize(n, ctx);
                assert!(balanced(&out), "{n:?} → {out:?}");
            }
        }
    }

    /// A tiny well-formedness check for the tests (the integration tests use a real parser).
    fn balanced(s: &str) -> bool {
        let mut stack: Vec<String> = Vec::new();
        let mut rest = s;
        while let Some(p) = rest.find('<') {
            let Some(e) = rest[p..].find('>') else {
                return false;
            };
            let tag = &rest[p + 1..p + e];
            if let Some(name) = tag.strip_prefix('/') {
                if stack.pop().as_deref() != Some(name) {
                    return false;
                }
            } else if !tag.ends_with('/') {
                stack.push(tag.split(' ').next().unwrap_or("").to_string());
            }
            rest = &rest[p + e + 1..];
        }
        stack.is_empty() && !s.contains("<script")
    }
}
