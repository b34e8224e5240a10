//! XML escaping and URL rules for the EPUB writer: every string it emits goes through
//! [`escape_text`] or [`escape_attr`], so that markup characters are escaped and characters XML
//! forbids (control characters, noncharacters) never reach a package. (Raw HTML from the
//! manuscript never gets here as HTML: `rawhtml.rs` parses it into the model.)

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

/// Whether a URL is safe to link to from a book: web and mail links only (no `javascript:`,
/// `data:` or relative paths, which would point outside the package).
pub fn safe_external_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_ascii_control() && *c != ' ')
        .flat_map(char::to_lowercase)
        .collect();
    let scheme_ok = ["http://", "https://", "mailto:", "ftp://", "tel:"]
        .iter()
        .any(|p| lower.starts_with(p) && lower.len() > p.len());
    scheme_ok && (!lower.contains("://") || valid_host(&lower))
}

/// Whether the authority of `url` (`scheme://host[:port]/…`) names a host: labels of letters,
/// digits and `-`, none empty (`https://../` has none), or a bracketed IPv6 address.
fn valid_host(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host.strip_prefix('[') {
        return v6.split_once(']').is_some_and(|(addr, _)| {
            !addr.is_empty()
                && addr
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        });
    }
    let name = host.split(':').next().unwrap_or("");
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Percent-encodes the characters that may not appear in a URL attribute (spaces, quotes,
/// angle brackets, non-ASCII), leaving existing `%XX` escapes alone.
pub fn encode_url(url: &str) -> String {
    let url = url.trim();
    let mut out = String::with_capacity(url.len());
    // `[` and `]` are allowed only around an IPv6 host: inside the authority.
    let authority_end = url.find("://").map_or(0, |i| {
        let from = i + 3;
        url[from..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |j| from + j)
    });
    for (at, c) in url.char_indices() {
        let bracket_ok = at < authority_end || !matches!(c, '[' | ']');
        if bracket_ok && (c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_never_escape() {
        assert_eq!(
            text("a\u{1}b\u{c}c\u{7f}d\u{FFFE}e <&>"),
            "abcde &lt;&amp;&gt;"
        );
        assert_eq!(attr("\"x\"\n"), "&quot;x&quot; ");
    }

    #[test]
    fn only_web_and_mail_links_are_safe() {
        assert!(safe_external_url("https://example.com"));
        assert!(safe_external_url("mailto:a@example.com"));
        assert!(!safe_external_url("javascript:alert(1)"));
        assert!(!safe_external_url(" JavaScript:alert(1)"));
        assert!(!safe_external_url("data:text/html,x"));
        assert!(!safe_external_url("https://"));
        assert!(!safe_external_url("https://../"));
        assert!(safe_external_url("https://[::1]:8080/x"));
        assert!(safe_external_url("https://user@example.com:443/x"));
    }

    #[test]
    fn brackets_are_encoded_outside_the_host() {
        assert_eq!(
            encode_url("https://example.com/\\[\\"),
            "https://example.com/%5C%5B%5C"
        );
        assert_eq!(
            encode_url("https://example.com/?search=](uri)"),
            "https://example.com/?search=%5D(uri)"
        );
        assert_eq!(encode_url("https://[::1]/a[b]"), "https://[::1]/a%5Bb%5D");
    }
}
