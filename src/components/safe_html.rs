//! Untrusted ticket HTML (descriptions, comments, notes: e-mail from strangers) made safe by an
//! allow-list over the browser's own DOMParser. The parsed document is inert (no script runs, no
//! image loads); a fresh tree is built from it with only allowed elements and attributes, so
//! nothing the sender wrote is ever handed to `innerHTML`. Remote images stay blocked until the
//! agent asks for them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, DomParser, Element, Node, SupportedType};

/// Elements kept (with allowed attributes).
const ALLOWED: &[&str] = &[
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements dropped together with everything inside them.
const DROPPED: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "title",
    "head",
    "audio",
    "video",
    "source",
    "track",
    "canvas",
    "select",
    "textarea",
    "button",
    "input",
    "option",
    "optgroup",
    "datalist",
    "portal",
    "param",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "dialog",
];

/// Attributes kept on any allowed element (values are plain text to the browser).
const ATTRIBUTES: &[&str] = &[
    "title", "alt", "colspan", "rowspan", "align", "valign", "dir", "lang", "start", "abbr", "scope", "cite",
    "datetime", "reversed", "span",
];

/// Below this depth the content is kept as plain text: hostile input must not exhaust the stack,
/// and a long quoted e-mail thread must not lose its words.
const MAX_DEPTH: usize = 64;

/// What sanitising found worth telling the agent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SanitizeReport {
    /// Remote images not loaded.
    pub blocked_images: usize,
}

/// Wrappers that mark a text as HTML although they are not kept.
const WRAPPERS: &[&str] =
    &["html", "body", "form", "label", "section", "article", "header", "footer", "main", "nav", "aside", "o:p"];

/// True when the text is meant as HTML: it has a comment, a doctype, a closing tag, or an opening
/// tag of a real HTML element. Plain text with `<` in it ("a <b", "<not a tag") stays text.
pub fn looks_like_html(text: &str) -> bool {
    let b = text.as_bytes();
    for (i, _) in text.match_indices('<') {
        let rest = &b[i + 1..];
        match rest.first() {
            Some(b'!') => return true,
            Some(b'/') if rest.get(1).is_some_and(u8::is_ascii_alphabetic) => return true,
            Some(c) if c.is_ascii_alphabetic() => {
                let len = rest.iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b':').count();
                let name = String::from_utf8_lossy(&rest[..len]).to_ascii_lowercase();
                let ends = rest.get(len).is_none_or(|c| c.is_ascii_whitespace() || *c == b'>' || *c == b'/');
                let known = ALLOWED.contains(&name.as_str())
                    || DROPPED.contains(&name.as_str())
                    || WRAPPERS.contains(&name.as_str());
                if ends && known {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Strips whitespace and control characters a browser ignores inside a URL scheme
/// (`java\tscript:`), lower-cased, for scheme checks.
fn scheme_probe(url: &str) -> String {
    url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase()
}

/// A link target we let the agent open: web, mail and phone links only.
pub fn safe_href(url: &str) -> bool {
    let p = scheme_probe(url);
    p.starts_with("http://") || p.starts_with("https://") || p.starts_with("mailto:") || p.starts_with("tel:")
}

fn inline_image(url: &str) -> bool {
    let p = scheme_probe(url);
    ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/jpg", "data:image/webp"]
        .iter()
        .any(|prefix| p.starts_with(prefix))
}

fn remote_image(url: &str) -> bool {
    let p = scheme_probe(url);
    p.starts_with("http://") || p.starts_with("https://")
}

/// Builds the safe copy of `input` as children of `target` (which is emptied first).
pub fn sanitize_into(target: &Element, input: &str, allow_remote_images: bool) -> SanitizeReport {
    let mut report = SanitizeReport::default();
    target.set_text_content(None);
    let Some(doc) = target.owner_document() else {
        return report;
    };
    let Ok(parser) = DomParser::new() else {
        return report;
    };
    let Ok(parsed) = parser.parse_from_string(input, SupportedType::TextHtml) else {
        return report;
    };
    if let Some(body) = parsed.body() {
        copy_children(&doc, body.as_ref(), target.as_ref(), 0, allow_remote_images, &mut report);
    }
    report
}

fn copy_children(doc: &Document, from: &Node, to: &Node, depth: usize, remote: bool, report: &mut SanitizeReport) {
    if depth > MAX_DEPTH {
        let text = doc.create_text_node(&from.text_content().unwrap_or_default());
        let _ = to.append_child(&text);
        return;
    }
    let children = from.child_nodes();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        match child.node_type() {
            Node::TEXT_NODE => {
                let text = doc.create_text_node(&child.text_content().unwrap_or_default());
                let _ = to.append_child(&text);
            }
            Node::ELEMENT_NODE => {
                let Ok(el) = child.dyn_into::<Element>() else {
                    continue;
                };
                copy_element(doc, &el, to, depth, remote, report);
            }
            _ => {}
        }
    }
}

fn copy_element(doc: &Document, el: &Element, to: &Node, depth: usize, remote: bool, report: &mut SanitizeReport) {
    let tag = el.local_name().to_ascii_lowercase();
    if el.namespace_uri().as_deref() != Some("http://www.w3.org/1999/xhtml") || DROPPED.contains(&tag.as_str()) {
        return;
    }
    if !ALLOWED.contains(&tag.as_str()) {
        // Unknown or unwanted wrapper (form, body, custom tags): keep what is inside.
        copy_children(doc, el.as_ref(), to, depth + 1, remote, report);
        return;
    }
    if tag == "img" {
        let src = el.get_attribute("src").unwrap_or_default();
        let alt = el.get_attribute("alt").unwrap_or_default();
        let show = inline_image(&src) || (remote && remote_image(&src));
        if !show {
            if remote_image(&src) {
                report.blocked_images += 1;
            }
            let label = if alt.trim().is_empty() { "[image]".to_string() } else { format!("[image: {}]", alt.trim()) };
            if let Ok(span) = doc.create_element("span") {
                span.set_class_name("blocked-image");
                span.set_text_content(Some(&label));
                let _ = to.append_child(&span);
            }
            return;
        }
        if let Ok(img) = doc.create_element("img") {
            let _ = img.set_attribute("src", &src);
            let _ = img.set_attribute("referrerpolicy", "no-referrer");
            let _ = img.set_attribute("loading", "lazy");
            copy_attributes(el, &img);
            for dim in ["width", "height"] {
                if let Some(v) = el.get_attribute(dim).filter(|v| v.len() <= 5 && v.bytes().all(|b| b.is_ascii_digit()))
                {
                    let _ = img.set_attribute(dim, &v);
                }
            }
            let _ = to.append_child(&img);
        }
        return;
    }
    let Ok(copy) = doc.create_element(&tag) else {
        return;
    };
    copy_attributes(el, &copy);
    if tag == "a" {
        match el.get_attribute("href") {
            Some(href) if safe_href(&href) => {
                let _ = copy.set_attribute("href", href.trim());
                let _ = copy.set_attribute("target", "_blank");
                let _ = copy.set_attribute("rel", "noopener noreferrer nofollow");
            }
            _ => {}
        }
    }
    copy_children(doc, el.as_ref(), copy.as_ref(), depth + 1, remote, report);
    let _ = to.append_child(&copy);
}

fn copy_attributes(from: &Element, to: &Element) {
    for name in ATTRIBUTES {
        if let Some(v) = from.get_attribute(name) {
            let _ = to.set_attribute(name, &v);
        }
    }
}

/// The sanitised HTML as a string (for tests and diagnostics; views use [`SafeHtml`]).
pub fn sanitize_to_string(input: &str) -> String {
    let doc = document();
    let div = doc.create_element("div").expect("a div");
    sanitize_into(&div, input, false);
    div.inner_html()
}

/// Shows untrusted ticket text: HTML through the allow-list, plain text with its line breaks.
#[component]
pub fn SafeHtml(
    /// The untrusted text.
    #[prop(into)]
    text: Signal<String>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let (allow_images, set_allow_images) = signal(false);
    let (blocked, set_blocked) = signal(0usize);
    let is_html = Memo::new(move |_| text.with(|t| looks_like_html(t)));
    Effect::new(move |_| {
        let t = text.get();
        let remote = allow_images.get();
        if let Some(el) = node.get() {
            if is_html.get() {
                let report = sanitize_into(&el, &t, remote);
                set_blocked.set(report.blocked_images);
            } else {
                el.set_text_content(Some(&t));
                set_blocked.set(0);
            }
        }
    });
    view! {
        <div class="safe-html-wrap">
            <Show when=move || { blocked.get() > 0 && !allow_images.get() }>
                <p class="images-blocked" role="note">
                    {move || format!("{} remote image(s) blocked to protect your privacy.", blocked.get())}
                    " "
                    <button type="button" class="link-button" on:click=move |_| set_allow_images.set(true)>
                        "Show images"
                    </button>
                </p>
            </Show>
            <div node_ref=node class="safe-html" class:plain-text=move || !is_html.get()></div>
        </div>
    }
}
