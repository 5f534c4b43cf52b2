//! Answering HTTP requests from the in-memory site: safe path resolution (nothing outside the
//! built site can ever be named), content types, the 404 page, the live-reload endpoints and the
//! error overlay.

use super::incremental::SiteFiles;
use crate::diagnostics::{Diagnostic, Severity};
use std::io::{Cursor, Write};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The script every served page loads to listen for rebuilds.
pub const RELOAD_JS_PATH: &str = "/__hub/reload.js";
const EVENTS_PATH: &str = "/__hub/events";
const OVERLAY_CSS_PATH: &str = "/__hub/overlay.css";
const RELOAD_JS: &str = include_str!("reload.js");
const OVERLAY_CSS: &str = include_str!("overlay.css");
/// At most this many live-reload connections at once; each holds a thread.
const MAX_LISTENERS: usize = 128;

/// The Content-Security-Policy of the deployed site (netlify.toml); served here too so that
/// previews break where production would.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// What the server shows: the last good site and the errors of the latest attempt.
#[derive(Default)]
pub struct Snapshot {
    /// The last good build, if any.
    pub files: Option<Arc<SiteFiles>>,
    /// Errors of the latest build (empty when it succeeded).
    pub errors: Vec<Diagnostic>,
    /// The URL scheme of the last good build, for its per-language 404 pages.
    pub urls: Option<crate::urls::Urls>,
}

/// Everything the request handlers share.
pub struct Shared {
    /// The address served on: requests must name it (or `localhost`) as their `Host`.
    pub bind: std::net::IpAddr,
    /// The current snapshot.
    pub snapshot: RwLock<Snapshot>,
    /// Live-reload listeners.
    pub listeners: Mutex<Vec<SyncSender<&'static str>>>,
}

impl Shared {
    /// The output file of the "not found" page for a request path, in the path's language.
    pub fn not_found(&self, path: &str) -> String {
        let snap = self.snapshot.read().unwrap_or_else(|e| e.into_inner());
        match &snap.urls {
            Some(urls) => urls.output_path(&urls.not_found(urls.lang_of(path))),
            None => "404.html".to_string(),
        }
    }

    /// Tells every listening page to reload (`"reload"`) or swap stylesheets (`"css"`).
    /// Never blocks: a listener that is not reading is dropped.
    pub fn broadcast(&self, event: &'static str) {
        let mut listeners = self.listeners.lock().unwrap_or_else(|e| e.into_inner());
        listeners.retain(|tx| {
            !matches!(
                tx.try_send(event),
                Err(TrySendError::Disconnected(_) | TrySendError::Full(_))
            )
        });
    }
}

/// Maps a request path to a file of the site: percent-decoded, with any `..`, `.`, backslash,
/// NUL or empty segment refused. `None` means "not a file name": answer 404.
pub fn resolve(path: &str) -> Option<String> {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || !decoded.starts_with('/') || decoded.starts_with("//") {
        return None;
    }
    let rel = &decoded[1..];
    let mut segments = rel.split('/').collect::<Vec<_>>();
    let dir = rel.is_empty() || rel.ends_with('/');
    if dir {
        segments.pop();
    }
    if segments
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
    {
        return None;
    }
    let mut key = segments.join("/");
    if dir {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

/// The Content-Type of a file name.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("hub's own header values are ASCII")
}

/// Whether a request's `Host` names this server: `localhost`, or an IP address that is the one
/// bound (any, when bound to all). A web page can send requests to 127.0.0.1 but not read the
/// answers, unless it makes its own domain name resolve to 127.0.0.1 (DNS rebinding): then the
/// `Host` is that name, and the request is refused.
pub fn host_allowed(host: Option<&str>, bind: std::net::IpAddr) -> bool {
    let Some(host) = host else {
        return false;
    };
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(n, _)| n),
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<std::net::IpAddr>() {
        Ok(ip) => bind.is_unspecified() || ip == bind || (ip.is_loopback() && bind.is_loopback()),
        Err(_) => false,
    }
}

/// A path as a `Location` value: percent-encoded, so any file name (`tŷ`, a space) makes a
/// valid header.
pub fn location(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'\\')
        .add(b'^')
        .add(b'|');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}

fn respond(req: Request, status: u16, ctype: &str, body: Vec<u8>) {
    let head = req.method() == &Method::Head;
    let len = body.len();
    let mut resp = Response::new(
        StatusCode(status),
        vec![
            header("Content-Type", ctype),
            header("Cache-Control", "no-cache"),
            header("Content-Security-Policy", CSP),
            header("X-Content-Type-Options", "nosniff"),
            header("Referrer-Policy", "strict-origin-when-cross-origin"),
        ],
        Cursor::new(if head { Vec::new() } else { body }),
        Some(len),
        None,
    );
    if status == 405 {
        resp.add_header(header("Allow", "GET, HEAD"));
    }
    let _ = req.respond(resp);
}

/// Answers one request.
pub fn handle(req: Request, shared: &Arc<Shared>) {
    let host = req
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !host_allowed(host.as_deref(), shared.bind) {
        return respond(
            req,
            421,
            "text/plain; charset=utf-8",
            b"hub serve answers requests addressed to localhost or its own address only\n".to_vec(),
        );
    }
    if !matches!(req.method(), Method::Get | Method::Head) {
        return respond(
            req,
            405,
            "text/plain; charset=utf-8",
            b"hub serve answers GET and HEAD only\n".to_vec(),
        );
    }
    let url = req.url().to_string();
    let path = url.split('?').next().unwrap_or("");
    match path {
        RELOAD_JS_PATH => {
            return respond(
                req,
                200,
                content_type("x.js"),
                RELOAD_JS.as_bytes().to_vec(),
            );
        }
        OVERLAY_CSS_PATH => {
            return respond(
                req,
                200,
                content_type("x.css"),
                OVERLAY_CSS.as_bytes().to_vec(),
            );
        }
        EVENTS_PATH => return listen(req, shared),
        _ => {}
    }
    let (files, errors) = {
        let snap = shared.snapshot.read().unwrap_or_else(|e| e.into_inner());
        (snap.files.clone(), snap.errors.clone())
    };
    let Some(files) = files else {
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>hub: no site yet</title><script src=\"{RELOAD_JS_PATH}\" defer></script></head><body>{}</body></html>",
            overlay(&errors)
        );
        return respond(req, 503, content_type("x.html"), body.into_bytes());
    };
    let key = resolve(&url);
    let found = key
        .as_deref()
        .and_then(|k| files.get(k).map(|f| (k.to_string(), f.clone())));
    let (status, key, file) = match found {
        Some((k, f)) => (200, k, f),
        None => {
            if let Some(k) = key.as_deref().filter(|k| {
                !k.ends_with("index.html") && files.contains_key(&format!("{k}/index.html"))
            }) {
                let mut resp = Response::empty(StatusCode(301));
                resp.add_header(header("Location", &location(&format!("/{k}/"))));
                let _ = req.respond(resp);
                return;
            }
            let page = shared.not_found(path);
            let page = page.as_str();
            match files.get(page) {
                Some(f) => (404, page.to_string(), f.clone()),
                None => return respond(req, 404, content_type("x.txt"), b"not found\n".to_vec()),
            }
        }
    };
    let bytes = match file.bytes() {
        Ok(b) => b.into_owned(),
        Err(e) => {
            return respond(
                req,
                500,
                content_type("x.txt"),
                format!("cannot read {key}: {e}\n").into_bytes(),
            );
        }
    };
    let ctype = content_type(&key);
    let body = if ctype.starts_with("text/html") && !errors.is_empty() {
        with_overlay(&bytes, &errors)
    } else {
        bytes
    };
    respond(req, status, ctype, body);
}

/// Inserts the error overlay right after `<body …>`, so screen readers meet it first.
fn with_overlay(html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let at = text
        .find("<body")
        .and_then(|i| text[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let mut out = String::with_capacity(text.len() + 2048);
    out.push_str(&text[..at]);
    out.push_str(&overlay(errors));
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The overlay: the same diagnostics `hub check` prints, as an accessible region.
pub fn overlay(errors: &[Diagnostic]) -> String {
    let count = errors
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let mut items = String::new();
    for d in errors {
        items.push_str(&format!(
            "<li><code>{}:{}:{}</code> {}{}</li>",
            escape(&d.path),
            d.line,
            d.column,
            escape(&d.message),
            d.help
                .as_ref()
                .map(|h| format!("<br><span class=\"hub-help\">help: {}</span>", escape(h)))
                .unwrap_or_default()
        ));
    }
    format!(
        "<link rel=\"stylesheet\" href=\"{OVERLAY_CSS_PATH}\"><section id=\"hub-overlay\" class=\"hub-overlay\" role=\"alert\" aria-labelledby=\"hub-overlay-title\"><h2 id=\"hub-overlay-title\">{count} error{} in your last change</h2><p>The site below is the last version that built. Fix the file and save: this page reloads by itself.</p><ul>{items}</ul></section>",
        if count == 1 { "" } else { "s" }
    )
}

/// Holds a Server-Sent Events stream open on its own thread, sending each rebuild event.
fn listen(req: Request, shared: &Arc<Shared>) {
    let (tx, rx) = sync_channel::<&'static str>(8);
    {
        let mut listeners = shared.listeners.lock().unwrap_or_else(|e| e.into_inner());
        if listeners.len() >= MAX_LISTENERS {
            drop(listeners);
            return respond(
                req,
                503,
                content_type("x.txt"),
                b"too many live-reload connections\n".to_vec(),
            );
        }
        listeners.push(tx);
    }
    std::thread::spawn(move || stream_events(req, rx));
}

fn stream_events(req: Request, rx: Receiver<&'static str>) {
    // tiny_http buffers chunked responses, so the stream is written by hand.
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(event) => format!("event: {event}\ndata: {event}\n\n"),
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(msg.as_bytes())
            .and_then(|()| w.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_only_names_inside_the_site() {
        let cases = [
            ("/", Some("index.html")),
            (
                "/case-studies/alpha/",
                Some("case-studies/alpha/index.html"),
            ),
            ("/assets/hub.css?v=2", Some("assets/hub.css")),
            ("/case-studies/t%C5%B7/", Some("case-studies/tŷ/index.html")),
            ("/../etc/passwd", None),
            ("/%2e%2e/etc/passwd", None),
            ("/case-studies/%2e%2e%2f%2e%2e%2fetc/passwd", None),
            ("/a/..%2fb", None),
            ("/..\\..\\etc\\passwd", None),
            ("/a%5c..%5cb", None),
            ("//etc/passwd", None),
            ("/a//b", None),
            ("/a/./b", None),
            ("/a%00b", None),
            ("relative", None),
        ];
        for (path, expected) in cases {
            assert_eq!(resolve(path).as_deref(), expected, "{path}");
        }
    }

    #[test]
    fn only_requests_addressed_to_this_server_are_answered() {
        let local: std::net::IpAddr = [127, 0, 0, 1].into();
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1111",
            "LOCALHOST",
            "[::1]:1111",
        ] {
            assert!(host_allowed(Some(ok), local), "{ok}");
        }
        for bad in ["evil.example:1111", "127.0.0.1.nip.io", "10.0.0.5:1111", ""] {
            assert!(!host_allowed(Some(bad), local), "{bad}");
        }
        assert!(!host_allowed(None, local));
        let lan: std::net::IpAddr = [192, 168, 1, 20].into();
        assert!(host_allowed(Some("192.168.1.20:1111"), lan));
        assert!(!host_allowed(Some("127.0.0.1:1111"), lan));
        assert!(host_allowed(Some("10.1.2.3"), [0, 0, 0, 0].into()));
        assert!(!host_allowed(Some("rebind.example"), [0, 0, 0, 0].into()));
    }

    #[test]
    fn locations_are_valid_headers() {
        assert_eq!(
            location("/case-studies/tŷ a/"),
            "/case-studies/t%C5%B7%20a/"
        );
        assert!(Header::from_bytes(&b"Location"[..], location("/\u{1}é\n/").as_bytes()).is_ok());
    }

    #[test]
    fn overlay_escapes_and_lists_every_diagnostic() {
        let d = vec![
            Diagnostic::error("content/a.md", 4, 9, "`<x>` is bad").with_help("did you mean `y`?"),
        ];
        let html = overlay(&d);
        assert!(html.contains("<code>content/a.md:4:9</code> `&lt;x&gt;` is bad"));
        assert!(html.contains("help: did you mean `y`?"));
        assert!(html.contains("1 error in your last change"));
    }
}
