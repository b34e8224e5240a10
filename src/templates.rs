//! Template tags of blog engines, which bindery cannot run: Liquid's `{% … %}` (Jekyll,
//! Eleventy) and Hugo's shortcodes `{{< … >}}` and `{{% … %}}`. [`strip`] finds them in an
//! article's Markdown outside code (the caller hands in the code's byte ranges), blanks them
//! out with the byte offsets kept, and turns the two figure forms — Hugo's
//! `{{< figure src="…" caption="…" alt="…" >}}` and Jekyll's (minimal-mistakes')
//! `{% include figure image_path="…" alt="…" caption="…" %}` — into a Markdown image with its
//! caption as title, so that it becomes a figure by `Book::figure`'s rule. Three more Jekyll
//! tags become the Markdown that does what they did: `{% highlight ruby %}` … `{% endhighlight
//! %}` a fenced code block; `{% raw %}` … `{% endraw %}` its text as written, tags and all; and
//! `{% post_url … %}` and `{% link … %}` the path of the article they name (the caller finds
//! it), or, for a page that is not in the book, the name they give it, which the link check
//! then reports as a link out of the book; Hugo's `ref` and `relref` likewise. A Liquid
//! `{% comment %}` … `{% endcomment %}` is dropped with what it holds; the content between a
//! paired shortcode's tags stays. Liquid's output tags `{{ … }}` are left alone (they are also
//! ordinary text in writing about templates), except at the start of a link's or image's
//! destination, where a site's root (`{{ site.baseurl }}`, `{{ "/x.png" | relative_url }}`)
//! becomes the book's and any other is dropped.

use std::ops::Range;

/// How far a tag may reach for its closing delimiter, in bytes: shortcodes with many
/// parameters run over a few lines; an unclosed `{%` in prose must not swallow the article.
const MAX_TAG_BYTES: usize = 4096;

/// A template tag found in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Byte range in the article, delimiters included (a comment: both tags and its body).
    pub range: Range<usize>,
    /// The template language: "Liquid" or "Hugo".
    pub engine: &'static str,
    /// The tag's name (`include`, `youtube`, `comment`, `/notice`), for the message.
    pub name: String,
    /// Whether it became Markdown that does what it did (a figure, a code fence, a link to an
    /// article of the book, the literal text of a raw block) rather than being dropped.
    pub converted: bool,
}

/// The article with its template tags blanked out, and the tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    /// Same length as the input, every line end in place; tags are spaces (or a figure's
    /// Markdown image followed by spaces).
    pub text: String,
    pub tags: Vec<Tag>,
}

/// Whether `text` may hold a template tag at all (a quick test before the code is located).
pub fn may_hold_tags(text: &str) -> bool {
    text.contains("{%") || text.contains("{{")
}

/// Blanks out the template tags of `text` outside the byte ranges `code` (code spans and
/// blocks, sorted). `link_to(tag, argument)` gives the link destination of the article a
/// `post_url` or `link` tag names (`post_url`, `2013-05-06-jekyll-1-0-0-released`), or `None`
/// when it is not in the book. `None` when there is no tag.
pub fn strip(
    text: &str,
    code: &[Range<usize>],
    link_to: &dyn Fn(&str, &str) -> Option<String>,
) -> Option<Stripped> {
    let mut out: Vec<u8> = text.as_bytes().to_vec();
    let mut tags = Vec::new();
    let mut at = 0;
    let in_code = |i: usize| {
        let k = code.partition_point(|r| r.end <= i);
        code.get(k).is_some_and(|r| r.start <= i)
    };
    while let Some(found) = next_open(text, at) {
        let (start, open) = found;
        if in_code(start) {
            at = start + 1;
            continue;
        }
        let Some((end, body)) = closing(text, start, open) else {
            at = start + open.open.len();
            continue;
        };
        let words = body.trim_matches('-').trim();
        let name = words
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_start_matches("/*")
            .to_string();
        let mut page_tag = None;
        if open.engine == "Liquid" {
            if let Some(block) = liquid_block(text, start..end, &name, words, &in_code) {
                for (range, markdown) in [
                    (start..end, &block.open),
                    (block.close.clone(), &block.close_with),
                ] {
                    replace(&mut out, range, markdown, Side::Start);
                }
                let end_name = format!("end{name}");
                tags.push(Tag {
                    range: start..end,
                    engine: open.engine,
                    name,
                    converted: true,
                });
                tags.push(Tag {
                    range: block.close.clone(),
                    engine: open.engine,
                    name: end_name,
                    converted: true,
                });
                // What the block holds is its text as written, template tags and all.
                at = block.close.end;
                continue;
            }
            if name == "post_url" || name == "link" {
                page_tag = Some(name.clone());
            }
        }
        // Hugo's `ref` and `relref` name a page as Jekyll's `link` does.
        if open.engine == "Hugo" && (name == "ref" || name == "relref") {
            page_tag = Some("ref".to_string());
        }
        if let Some(tag) = page_tag {
            let argument = words[name.len()..]
                .trim()
                .trim_matches(|c| c == '"' || c == '\'');
            if let Some(d) = page_destination(link_to, &tag, argument, end - start) {
                // At the tag's end, so that a fragment after it joins the path
                // (`{% link _docs/history.md %}#v3-9-3`).
                replace(&mut out, start..end, &d, Side::End);
                tags.push(Tag {
                    range: start..end,
                    engine: open.engine,
                    name,
                    converted: true,
                });
                at = end;
                continue;
            }
        }
        let mut range = start..end;
        // A Liquid comment takes its body and its end tag along.
        if open.engine == "Liquid" && name == "comment" {
            if let Some(close) = comment_end(text, end) {
                range = start..close;
            }
        }
        let image = figure(open, words).map(|f| f.markdown());
        let figure = match image {
            Some(md) if md.len() <= range.len() && !md.contains(['\n', '\r']) => {
                replace(&mut out, range.clone(), &md, Side::Start);
                true
            }
            _ => {
                blank(&mut out, range.clone());
                keep_off_the_margin(text, &mut out, range.clone());
                false
            }
        };
        tags.push(Tag {
            range: range.clone(),
            engine: open.engine,
            name,
            converted: figure,
        });
        at = range.end;
    }
    destination_outputs(text, &mut out, &in_code, &mut tags);
    if tags.is_empty() {
        return None;
    }
    // Only ASCII bytes were written over whole characters, so the text is still UTF-8.
    let text = String::from_utf8(out).ok()?;
    Some(Stripped { text, tags })
}

/// A tag's delimiters.
#[derive(Debug, Clone, Copy)]
struct Delimiters {
    open: &'static str,
    close: &'static str,
    engine: &'static str,
}

const DELIMITERS: [Delimiters; 3] = [
    Delimiters {
        open: "{{<",
        close: ">}}",
        engine: "Hugo",
    },
    Delimiters {
        open: "{{%",
        close: "%}}",
        engine: "Hugo",
    },
    Delimiters {
        open: "{%",
        close: "%}",
        engine: "Liquid",
    },
];

/// The next opening delimiter at or after `from`.
fn next_open(text: &str, from: usize) -> Option<(usize, Delimiters)> {
    let rest = text.get(from..)?;
    let i = rest.find('{')?;
    let start = from + i;
    let here = &text[start..];
    match DELIMITERS.iter().find(|d| here.starts_with(d.open)) {
        Some(d) => Some((start, *d)),
        None => next_open(text, start + 1),
    }
}

/// The end (past the closing delimiter) and the body of the tag opened at `start`, when it
/// closes within [`MAX_TAG_BYTES`] and before a blank line.
fn closing(text: &str, start: usize, d: Delimiters) -> Option<(usize, &str)> {
    let body_start = start + d.open.len();
    let mut limit = (start + MAX_TAG_BYTES).min(text.len());
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = text.get(body_start..limit)?;
    let close = window.find(d.close)?;
    let body = &window[..close];
    if body.contains("\n\n") || body.contains("\n\r\n") {
        return None;
    }
    Some((body_start + close + d.close.len(), body))
}

/// The destination a tag that names a page becomes (Jekyll's `post_url` and `link`, Hugo's
/// `ref` and `relref`, as `tag` "post_url", "link" or "ref"): the article of the book
/// `link_to` finds, else the name the tag gives, so that the link is reported and printed as
/// text, as any link out of the book is (W0400). `None` when neither is a plain destination
/// that fits in the tag's `room` bytes.
fn page_destination(
    link_to: &dyn Fn(&str, &str) -> Option<String>,
    tag: &str,
    argument: &str,
    room: usize,
) -> Option<String> {
    let fits = |d: &String| !d.is_empty() && d.len() <= room && plain_destination(d);
    link_to(tag, argument)
        .filter(fits)
        .or_else(|| Some(argument.to_string()).filter(fits))
}

/// Liquid output tags `{{ … }}` that open a Markdown link's or image's destination
/// (`](…)`, or a reference definition's `]: …`), where Jekyll sites write the site's root:
/// `{{ site.baseurl }}` and `{{ site.url }}` go (the book's folder is its root, and a path
/// starting with `/` is read from there), `{{ "/assets/x.png" | relative_url }}` (or
/// `absolute_url`) becomes its path, set at the tag's end so that it joins what follows; any
/// other output tag there (`{{ site.repository }}`) cannot be filled and is dropped (a tag that
/// is not converted, so W0702). Output tags elsewhere are text, as they are in prose about
/// templates.
fn destination_outputs(
    text: &str,
    out: &mut [u8],
    in_code: &dyn Fn(usize) -> bool,
    tags: &mut Vec<Tag>,
) {
    /// How far an output tag may reach for its `}}`, in bytes.
    const MAX_OUTPUT_BYTES: usize = 200;
    // The tags read already, and what a raw or highlight block holds (its text as written).
    let mut taken: Vec<Range<usize>> = tags.iter().map(|t| t.range.clone()).collect();
    for pair in tags.windows(2) {
        let block = matches!(pair[0].name.as_str(), "raw" | "highlight")
            && pair[0].converted
            && pair[1].name == format!("end{}", pair[0].name);
        if block {
            taken.push(pair[0].range.start..pair[1].range.end);
        }
    }
    // Where the last output tag read here ended: the next may follow it directly.
    let mut last_end = None;
    let mut at = 0;
    while let Some(i) = text[at..].find("{{") {
        let start = at + i;
        at = start + 2;
        let before = text[..start].trim_end_matches([' ', '\t']);
        if !(before.ends_with("](") || before.ends_with("]:") || before.ends_with("}}")) {
            continue;
        }
        // `}}` before: only as the next of consecutive output tags at a destination's start.
        if before.ends_with("}}") && last_end != Some(start) {
            continue;
        }
        if in_code(start) || taken.iter().any(|r| r.contains(&start)) {
            continue;
        }
        let mut limit = (start + MAX_OUTPUT_BYTES).min(text.len());
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let window = &text[start..limit];
        let Some(close) = window.find("}}") else {
            continue;
        };
        let body = &window[2..close];
        if body.contains('\n') {
            continue;
        }
        let end = start + close + 2;
        let words = body.trim_matches('-').trim();
        let path = match words {
            "site.baseurl" | "site.url" => Some(String::new()),
            _ => words.split_once('|').and_then(|(value, filter)| {
                let filter = filter.trim();
                let value = value.trim();
                let inner = ['"', '\'']
                    .iter()
                    .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))?;
                (matches!(filter, "relative_url" | "absolute_url") && plain_destination(inner))
                    .then(|| inner.to_string())
            }),
        };
        replace(out, start..end, path.as_deref().unwrap_or(""), Side::End);
        tags.push(Tag {
            range: start..end,
            engine: "Liquid",
            name: words.split_whitespace().next().unwrap_or("").to_string(),
            converted: path.is_some(),
        });
        last_end = Some(end);
        at = end;
    }
    tags.sort_by_key(|t| t.range.start);
}

/// A Liquid block that becomes Markdown: its opening tag's and closing tag's replacements
/// (ASCII, each no longer than the tag it replaces) and the closing tag's range.
struct Block {
    open: String,
    close: std::ops::Range<usize>,
    close_with: String,
}

/// `{% raw %}` … `{% endraw %}` (both tags dropped, the text between kept as written) and
/// `{% highlight lang %}` … `{% endhighlight %}` (a fenced code block in the language), for the
/// tag at `tag` named `name` whose words are `words`; `None` for any other tag, for a block
/// without its end tag outside code, and for a highlight whose tags do not stand alone on
/// their lines or whose fence would not fit in them.
fn liquid_block(
    text: &str,
    tag: Range<usize>,
    name: &str,
    words: &str,
    in_code: &dyn Fn(usize) -> bool,
) -> Option<Block> {
    if name != "raw" && name != "highlight" {
        return None;
    }
    let end_name = format!("end{name}");
    let mut at = tag.end;
    let close = loop {
        let (start, d) = next_open(text, at)?;
        let Some((end, body)) = closing(text, start, d) else {
            at = start + d.open.len();
            continue;
        };
        if d.engine == "Liquid" && !in_code(start) && body.trim_matches('-').trim() == end_name {
            break start..end;
        }
        at = end;
    };
    if name == "raw" {
        return Some(Block {
            open: String::new(),
            close,
            close_with: String::new(),
        });
    }
    // A highlight: both tags alone on their lines, so that the fences are lines of their own.
    let alone = |r: &Range<usize>| {
        let line_start = text[..r.start].rfind('\n').map_or(0, |i| i + 1);
        let rest = text[r.end..].split('\n').next().unwrap_or("");
        text[line_start..r.start].trim().is_empty() && rest.trim().is_empty()
    };
    if !alone(&tag) || !alone(&close) {
        return None;
    }
    let body = &text[tag.end..close.start];
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let language = words
        .split_whitespace()
        .nth(1)
        .filter(|l| {
            l.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-_.#".contains(c))
        })
        .unwrap_or("");
    let open = format!("{fence}{language}");
    (open.len() <= tag.len() && fence.len() <= close.len()).then_some(Block {
        open,
        close,
        close_with: fence,
    })
}

/// The end of `{% endcomment %}` after a comment tag ending at `from`.
fn comment_end(text: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some((start, d)) = next_open(text, at) {
        let (end, body) = closing(text, start, d)?;
        if d.engine == "Liquid" && body.trim_matches('-').trim() == "endcomment" {
            return Some(end);
        }
        at = end;
    }
    None
}

/// Whether `d` can stand as a Markdown link destination as it is: no space, parenthesis,
/// angle bracket or quote, which would end it or need escaping.
fn plain_destination(d: &str) -> bool {
    !d.contains(|c: char| c.is_whitespace() || "()<>\"'".contains(c))
}

/// Which end of a blanked tag its replacement is set against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// From the tag's first byte: a line of its own (a fence, a figure's image).
    Start,
    /// Ending at the tag's last byte, so that it joins the text after the tag (a path and its
    /// `#fragment`).
    End,
}

/// Blanks `range` ([`blank`]) and writes `with` (no longer than the range, no line
/// end) against its `side`.
fn replace(out: &mut [u8], range: Range<usize>, with: &str, side: Side) {
    blank(out, range.clone());
    let at = match side {
        Side::Start => range.start,
        Side::End => range.end - with.len(),
    };
    out[at..at + with.len()].copy_from_slice(with.as_bytes());
}

/// Turns every byte of `range` but line ends into a space.
fn blank(out: &mut [u8], range: Range<usize>) {
    for b in &mut out[range] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// A dropped tag that opens a line, with text after it on that line, would leave the text
/// indented by its length: four spaces or more after a blank line or a heading make an
/// indented code block. The spaces then move to the end of the line before (which is blank or
/// a heading, whose trailing spaces mean nothing), so that the text starts its line; every
/// byte offset after the tag stays where it was.
fn keep_off_the_margin(text: &str, out: &mut [u8], range: Range<usize>) {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    if line_start == 0 || !text[line_start..range.start].trim().is_empty() {
        return;
    }
    let rest_of_line = text[range.end..].split('\n').next().unwrap_or("");
    if rest_of_line.trim().is_empty() || text[range.clone()].contains('\n') {
        return;
    }
    let newline = line_start - 1;
    let terminator = if newline > 0 && text.as_bytes()[newline - 1] == b'\r' {
        newline - 1
    } else {
        newline
    };
    let previous_start = text[..terminator].rfind('\n').map_or(0, |i| i + 1);
    let previous = &text[previous_start..terminator];
    if !(previous.trim().is_empty() || previous.trim_start().starts_with('#')) {
        return;
    }
    // The spaces after the tag go along, so that the text starts its line.
    let after = rest_of_line.len() - rest_of_line.trim_start().len();
    let moved = range.end + after - line_start;
    let line_end = text[terminator..line_start].len();
    for b in &mut out[terminator..terminator + moved] {
        *b = b' ';
    }
    out[terminator + moved..terminator + moved + line_end]
        .copy_from_slice(&text.as_bytes()[terminator..line_start]);
}

/// A figure shortcode's image and words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Figure {
    src: String,
    alt: String,
    caption: String,
}

impl Figure {
    /// `![alt](<src> "caption")`, escaped so that Markdown reads it back as written.
    fn markdown(&self) -> String {
        let alt: String = self
            .alt
            .chars()
            .flat_map(|c| {
                let escape = c.is_ascii_punctuation();
                escape.then_some('\\').into_iter().chain(std::iter::once(c))
            })
            .collect();
        let caption = self.caption.replace('\\', "\\\\").replace('"', "\\\"");
        if caption.is_empty() {
            format!("![{alt}](<{}>)", self.src)
        } else {
            format!("![{alt}](<{}> \"{caption}\")", self.src)
        }
    }
}

/// The figure a tag's words make: Hugo's `figure` shortcode, or Liquid's `include figure`.
fn figure(d: Delimiters, words: &str) -> Option<Figure> {
    let (head, rest) = words.split_once(char::is_whitespace)?;
    let params = match (d.engine, head) {
        ("Hugo", "figure") => rest,
        ("Liquid", "include") => {
            let (file, params) = rest.trim_start().split_once(char::is_whitespace)?;
            if file != "figure" && file != "figure.html" {
                return None;
            }
            params
        }
        _ => return None,
    };
    let params = parameters(params);
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()))
    };
    let src = get(&["src", "image_path"])?;
    if src.is_empty() || src.contains(['<', '>', '\n', '\r']) {
        return None;
    }
    Some(Figure {
        src,
        alt: get(&["alt"]).unwrap_or_default(),
        caption: get(&["caption", "title"]).unwrap_or_default(),
    })
}

/// `name="value"`, `name='value'`, ``name=`value` `` and `name=value` pairs, in order.
fn parameters(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            // A positional word: skip it.
            rest = rest
                .split_once(char::is_whitespace)
                .map_or("", |(_, r)| r)
                .trim_start();
            continue;
        }
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => {
                let body = &after[1..];
                match body.find(q) {
                    Some(end) => (&body[..end], &body[end + 1..]),
                    None => (body, ""),
                }
            }
            _ => after.split_once(char::is_whitespace).unwrap_or((after, "")),
        };
        out.push((name.to_string(), value.to_string()));
        rest = next.trim_start();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(text: &str) -> Stripped {
        let s = strip(text, &[], &|_, _| None).expect("tags");
        assert_eq!(s.text.len(), text.len(), "offsets kept");
        s
    }

    #[test]
    fn liquid_and_hugo_tags_are_blanked() {
        let s = stripped(
            "A {% if x %}b{% endif %} c {{< youtube id >}} d {{% notice %}}e{{% /notice %}}.\n",
        );
        assert_eq!(
            s.text.split_whitespace().collect::<Vec<_>>(),
            ["A", "b", "c", "d", "e", "."]
        );
        let names: Vec<(&str, &str)> = s.tags.iter().map(|t| (t.engine, t.name.as_str())).collect();
        assert_eq!(
            names,
            [
                ("Liquid", "if"),
                ("Liquid", "endif"),
                ("Hugo", "youtube"),
                ("Hugo", "notice"),
                ("Hugo", "/notice")
            ]
        );
        assert_eq!(&"A {% if x %}"[s.tags[0].range.clone()], "{% if x %}");
    }

    #[test]
    // One code span in a list of them, not a range meant as a list of numbers.
    #[allow(clippy::single_range_in_vec_init)]
    fn code_is_left_alone() {
        let text = "a `{% x %}` b {% y %}";
        let s = strip(text, &[2..11], &|_, _| None).expect("one tag");
        assert_eq!(s.tags.len(), 1);
        assert_eq!(s.text, format!("a `{{% x %}}` b {}", " ".repeat(7)));
        assert_eq!(strip("`{% x %}`", &[0..9], &|_, _| None), None);
    }

    #[test]
    fn comments_go_with_their_body() {
        let s = stripped("a {% comment %}secret\nnote{% endcomment %} b");
        assert_eq!(s.tags.len(), 1);
        assert!(
            !s.text.contains("secret") && !s.text.contains("note"),
            "{}",
            s.text
        );
        assert_eq!(s.text.matches('\n').count(), 1);
    }

    #[test]
    fn figures_become_images() {
        let s =
            stripped(r#"{{< figure src="/images/a b.png" caption='The "bay".' alt="A [bay]" >}}"#);
        assert!(s.tags[0].converted);
        assert_eq!(
            s.text.trim_end(),
            r#"![A \[bay\]](</images/a b.png> "The \"bay\".")"#
        );
        let s = stripped(
            r#"{% include figure popup=true image_path="/assets/x.jpg" alt="X" caption="Y" %}"#,
        );
        assert_eq!(s.text.trim_end(), r#"![X](</assets/x.jpg> "Y")"#);
        // Other includes and shortcodes without an image are dropped.
        let s = stripped(r#"{% include toc %} {{< figure caption="no image" >}}"#);
        assert!(s.tags.iter().all(|t| !t.converted));
        assert!(s.text.trim().is_empty());
    }

    #[test]
    fn unclosed_openers_are_text() {
        assert_eq!(strip("50{% of the vote", &[], &|_, _| None), None);
        assert_eq!(strip("{{< a\n\nb >}}", &[], &|_, _| None), None);
    }

    #[test]
    fn a_tag_opening_a_paragraph_does_not_indent_it() {
        let text = "# T\n\n{% assign x = 1 %} The text.\n";
        let s = stripped(text);
        let lines: Vec<&str> = s.text.lines().collect();
        assert_eq!(lines[2], "The text.");
        // The text's bytes are where they were.
        assert_eq!(s.text.find("The text."), text.find("The text."));
    }

    /// The text with its lines' trailing spaces removed (blanked tags leave spaces behind).
    fn trimmed(s: &Stripped) -> String {
        s.text
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_highlight_block_becomes_a_fenced_code_block() {
        let s = stripped("Run:\n\n{% highlight ruby linenos %}\nputs \"hi\"\n{% endhighlight %}\n");
        assert_eq!(trimmed(&s), "Run:\n\n```ruby\nputs \"hi\"\n```");
        assert!(s.tags.iter().all(|t| t.converted), "{:?}", s.tags);
        assert_eq!(
            s.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["highlight", "endhighlight"]
        );
        // Backticks in the code: a longer fence; whitespace control and no language.
        let s = stripped("{%- highlight -%}\n```\ncode\n````\n{%- endhighlight -%}\n");
        assert_eq!(trimmed(&s), "`````\n```\ncode\n````\n`````");
        // Template tags in the code are its text.
        let s = stripped("{% highlight liquid %}\n{% if x %}y{% endif %}\n{% endhighlight %}\n");
        assert_eq!(trimmed(&s), "```liquid\n{% if x %}y{% endif %}\n```");
        // A highlight that shares its line with text is not a block: dropped, as before.
        let s = stripped("See {% highlight ruby %}x{% endhighlight %} here.\n");
        assert!(s.tags.iter().all(|t| !t.converted));
        assert_eq!(
            s.text.split_whitespace().collect::<Vec<_>>(),
            ["See", "x", "here."]
        );
        // Without its end tag, the opening tag alone is dropped.
        let s = stripped("{% highlight ruby %}\nx\n");
        assert_eq!((s.tags.len(), s.tags[0].converted), (1, false));
    }

    #[test]
    // One code range: a slice of ranges is what `strip` takes.
    #[allow(clippy::single_range_in_vec_init)]
    fn a_raw_block_keeps_its_text_tags_and_all() {
        let text = "{% raw %}\nUse {% include note.html %} and {{ page.title }}.\n{% endraw %}\n\
                    After. {% if x %}\n";
        let s = stripped(text);
        assert_eq!(
            trimmed(&s),
            "\nUse {% include note.html %} and {{ page.title }}.\n\nAfter."
        );
        let names: Vec<(&str, bool)> = s
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.converted))
            .collect();
        assert_eq!(names, [("raw", true), ("endraw", true), ("if", false)]);
        // An `{% endraw %}` inside code does not close the block.
        let text = "{% raw %}\n`{% endraw %}`\n";
        let s = strip(text, &[10..24], &|_, _| None).expect("the raw tag");
        assert_eq!((s.tags.len(), s.tags[0].converted), (1, false));
    }

    #[test]
    fn post_url_and_link_name_an_article_of_the_book() {
        let link_to = |tag: &str, argument: &str| match (tag, argument) {
            ("post_url", "2024-01-02-welcome") => Some("2024-01-02-welcome.markdown".to_string()),
            ("link", "_posts/2024-01-02-welcome.markdown") => Some("/m/w.md".to_string()),
            _ => None,
        };
        let text = "[a]({% post_url 2024-01-02-welcome %}) [b]({% link _posts/2024-01-02-welcome.markdown %}#x)\n\
                    [c]({% post_url elsewhere %}) [d]({% post_url 2024-01-02-welcome %})\n\
                    [e]({% link \"a b.md\" %})\n";
        let s = strip(text, &[], &link_to).expect("tags");
        assert_eq!(s.text.len(), text.len());
        assert_eq!(
            s.text.split_whitespace().collect::<Vec<_>>(),
            [
                "[a](",
                "2024-01-02-welcome.markdown)",
                "[b](",
                "/m/w.md#x)",
                "[c](",
                "elsewhere)",
                "[d](",
                "2024-01-02-welcome.markdown)",
                "[e](",
                ")"
            ]
        );
        let converted: Vec<bool> = s.tags.iter().map(|t| t.converted).collect();
        assert_eq!(converted, [true, true, true, true, false]);
        // A destination longer than the tag, or with a space, is not written: the tag's own
        // name is.
        let long = |_: &str, _: &str| Some("a-very-long-path/that-does-not-fit.md".to_string());
        let s = strip("({% link x %})", &[], &long).expect("the tag");
        assert_eq!(
            (s.text.replace(' ', ""), s.tags[0].converted),
            ("(x)".to_string(), true)
        );
        let spaced = |_: &str, _: &str| Some("a b".to_string());
        let s = strip("({% link x %})", &[], &spaced).expect("the tag");
        assert_eq!(
            (s.text.replace(' ', ""), s.tags[0].converted),
            ("(x)".to_string(), true)
        );
    }

    #[test]
    // One code range: a slice of ranges is what `strip` takes.
    #[allow(clippy::single_range_in_vec_init)]
    fn site_roots_at_a_destination_go_and_other_outputs_there_are_dropped() {
        let text = "![Map]({{ site.baseurl }}/assets/map.png) [a]({{ site.url }}{{ site.baseurl }}/a.md)\n\
                    [b]({{ \"/assets/b.pdf\" | relative_url }}) [c]({{- 'x/c.md' | absolute_url -}}#top)\n\
                    [d]({{ site.repository }}/issues) {{ page.title }} and `[e]({{ site.url }})`\n\
                    [ref]: {{ site.baseurl }}/r.md\n";
        let s = strip(text, &[223..244], &|_, _| None).expect("tags");
        assert_eq!(s.text.len(), text.len());
        let squeezed: String = s
            .text
            .lines()
            .map(|l| {
                l.split(' ')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            squeezed,
            "![Map]( /assets/map.png) [a]( /a.md)\n[b]( /assets/b.pdf) [c]( x/c.md#top)\n\
             [d]( /issues) {{ page.title }} and `[e]({{ site.url }})`\n[ref]: /r.md"
        );
        let tags: Vec<(&str, bool)> = s
            .tags
            .iter()
            .map(|t| (t.name.as_str(), t.converted))
            .collect();
        assert_eq!(
            tags,
            [
                ("site.baseurl", true),
                ("site.url", true),
                ("site.baseurl", true),
                ("\"/assets/b.pdf\"", true),
                ("'x/c.md'", true),
                ("site.repository", false),
                ("site.baseurl", true)
            ]
        );
    }

    #[test]
    fn raw_and_highlight_blocks_keep_their_output_tags() {
        let text = "{% raw %}\n[a]({{ site.url }}/a)\n{% endraw %}\n\n{% highlight md %}\n\
                    [b]({{ site.url }}/b)\n{% endhighlight %}\n";
        let s = stripped(text);
        assert!(s.text.contains("[a]({{ site.url }}/a)"), "{}", s.text);
        assert!(s.text.contains("[b]({{ site.url }}/b)"), "{}", s.text);
        assert!(s.tags.iter().all(|t| t.converted), "{:?}", s.tags);
    }

    #[test]
    fn an_output_tag_after_a_shortcode_in_prose_is_text() {
        let s = stripped("A {{< x >}}{{ page.title }} b.\n");
        assert_eq!(s.tags.len(), 1);
        assert!(s.text.contains("{{ page.title }}"), "{}", s.text);
    }

    #[test]
    fn hugo_ref_names_a_page_as_link_does() {
        let link_to = |tag: &str, argument: &str| {
            (tag == "ref" && argument == "posts/harbour.md").then(|| "harbour.md".to_string())
        };
        let s = strip(
            "[h]({{< ref \"posts/harbour.md\" >}}) [o]({{< relref \"other\" >}})\n",
            &[],
            &link_to,
        )
        .expect("tags");
        assert_eq!(
            s.text.split_whitespace().collect::<Vec<_>>(),
            ["[h](", "harbour.md)", "[o](", "other)"]
        );
        assert!(s.tags.iter().all(|t| t.converted));
    }
}
