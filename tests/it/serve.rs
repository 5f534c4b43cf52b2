//! `hub serve` end to end: the real binary on a temporary hub and a free port, fetched over HTTP.

use crate::harness::Hub;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `hub serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(hub: &Hub, extra: &[&str]) -> Server {
    serve_root(hub.path(), extra)
}

fn serve_root(root: &std::path::Path, extra: &[&str]) -> Server {
    serve_env(root, extra, &[])
}

#[allow(clippy::zombie_processes)] // `Server` waits for it when dropped.
fn serve_env(root: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .envs(env.iter().copied())
        .arg("--root")
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "hub serve exited before serving"
        );
        if let Some(url) = line.trim().strip_prefix("serving ") {
            let port = url
                .trim_end_matches('/')
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            std::thread::spawn(move || for _ in out.lines() {});
            return Server { child, port };
        }
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

fn request(port: u16, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&raw[..split])
        .trim_end()
        .to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(&raw[split..])
    } else {
        raw[split..].to_vec()
    };
    Reply {
        status,
        head,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

/// The body of a chunked response (large pages are sent in chunks).
fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&rest[..eol]);
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        let after = &rest[eol + 2..];
        if n == 0 || after.len() < n {
            break;
        }
        out.extend_from_slice(&after[..n]);
        rest = after[n..].strip_prefix(b"\r\n").unwrap_or(&after[n..]);
    }
    out
}

fn get(port: u16, path: &str) -> Reply {
    request(port, "GET", path)
}

/// Opens the live-reload stream; each received `event:` name arrives on the channel.
fn listen(port: u16) -> Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(s, "GET /__hub/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let (tx, rx) = channel();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    // Wait until the stream is open so that no event is missed.
    while reader.read_line(&mut line).unwrap() > 0 && !line.starts_with(": connected") {
        line.clear();
    }
    std::thread::spawn(move || {
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if let Some(ev) = line.strip_prefix("event: ")
                && tx.send(ev.to_string()).is_err()
            {
                return;
            }
        }
    });
    rx
}

/// Polls `path` until `pred` holds (the rebuild has landed) or ten seconds pass.
fn eventually(port: u16, path: &str, what: &str, pred: impl Fn(&Reply) -> bool) -> Reply {
    let start = Instant::now();
    loop {
        let r = get(port, path);
        if pred(&r) {
            return r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what}: still not true of {path}:\n{}",
            r.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_the_site_with_types_index_and_404() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let home = get(srv.port, "/");
    assert_eq!(home.status, 200);
    assert!(
        home.head.contains("Content-Type: text/html; charset=utf-8"),
        "{}",
        home.head
    );
    assert!(home.head.contains("Cache-Control: no-cache"));
    assert!(
        home.head
            .contains("Content-Security-Policy: default-src 'self'")
    );
    assert!(
        home.body
            .contains("<script src=\"/__hub/reload.js\" defer></script>"),
        "live reload in serve only"
    );
    // Study pages are written without the template engine; they too get the script.
    assert!(
        get(srv.port, "/case-studies/alpha/")
            .body
            .contains("<script src=\"/__hub/reload.js\" defer></script>\n</head>"),
        "live reload on a study page"
    );
    assert!(
        get(srv.port, &format!("/{}", Hub::stylesheet(&home.body)))
            .head
            .contains("Content-Type: text/css")
    );
    assert!(
        get(srv.port, "/case-studies/beta/route.svg")
            .head
            .contains("Content-Type: image/svg+xml")
    );
    assert!(
        get(srv.port, "/feed.xml")
            .head
            .contains("Content-Type: application/xml")
    );
    let miss = get(srv.port, "/no/such/page/");
    assert_eq!(miss.status, 404);
    assert!(miss.body.contains("Page not found"));
    assert!(
        get(srv.port, "/cy/dim-tudalen/")
            .body
            .contains("Heb ddod o hyd i’r dudalen")
    );
    let moved = get(srv.port, "/case-studies/alpha");
    assert_eq!(moved.status, 301);
    assert!(moved.head.contains("Location: /case-studies/alpha/"));
    let head = request(srv.port, "HEAD", "/");
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(request(srv.port, "POST", "/").status, 405);
    assert_eq!(request(srv.port, "DELETE", "/").status, 405);
}

#[test]
fn no_spelling_of_a_path_escapes_the_site() {
    let hub = Hub::fixture("basic");
    std::fs::write(hub.path().join("secret.txt"), "TOP SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", hub.path().join("content/passwd.txt")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        hub.path().join("secret.txt"),
        hub.path().join("content/secret.txt"),
    )
    .unwrap();
    let srv = serve(&hub, &[]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/case-studies/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "//etc/passwd",
        "/../../../../etc/passwd",
        "/passwd.txt",
        "/secret.txt",
        "/content/hub.yaml",
        "/.hub-output",
    ] {
        let r = get(srv.port, path);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(
            !r.body.contains("TOP SECRET") && !r.body.contains("root:x:0:0"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn an_edit_reloads_the_page_with_the_new_text() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let events = listen(srv.port);
    let p = hub.path().join("content/case-studies/alpha.md");
    let text = std::fs::read_to_string(&p).unwrap();
    let new = "Fewer falls and shorter stays.";
    std::fs::write(&p, text.replace("Fewer falls.", new)).unwrap();
    expect_reload_showing(&srv, &events, "/case-studies/alpha/", new);
}

/// The next event is a reload, after which `path` shows `text`.
fn expect_reload_showing(srv: &Server, events: &Receiver<String>, path: &str, text: &str) {
    assert_eq!(
        events.recv_timeout(Duration::from_secs(10)).unwrap(),
        "reload"
    );
    assert!(
        get(srv.port, path).body.contains(text),
        "{path} lacks {text}"
    );
}

#[test]
fn a_save_without_a_change_rebuilds_nothing_and_reloads_nothing() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let events = listen(srv.port);
    let p = hub.path().join("content/case-studies/alpha.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, &text).unwrap();
    // Well past the debounce and a rebuild: no reload came.
    assert!(events.recv_timeout(Duration::from_secs(2)).is_err());
    // A real change still reloads.
    std::fs::write(&p, text.replace("Fewer falls.", "Fewer falls again.")).unwrap();
    expect_reload_showing(&srv, &events, "/case-studies/alpha/", "Fewer falls again.");
}

#[test]
fn an_atomic_save_and_a_burst_of_saves_rebuild() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let p = hub.path().join("content/case-studies/beta/index.md");
    let text = std::fs::read_to_string(&p).unwrap();
    // As editors do: write a temporary file, then rename it over the original.
    let tmp = hub.path().join("content/case-studies/beta/.index.md.tmp");
    std::fs::write(
        &tmp,
        text.replace("Community transport in Hywel Dda.", "Atomic save worked."),
    )
    .unwrap();
    std::fs::rename(&tmp, &p).unwrap();
    eventually(srv.port, "/case-studies/beta/", "atomic save", |r| {
        r.body.contains("Atomic save worked.")
    });
    for i in 0..20 {
        std::fs::write(
            &p,
            text.replace("Community transport in Hywel Dda.", &format!("Burst {i}.")),
        )
        .unwrap();
    }
    eventually(srv.port, "/case-studies/beta/", "burst", |r| {
        r.body.contains("Burst 19.")
    });
}

#[test]
fn a_broken_save_shows_the_overlay_and_keeps_the_last_good_page() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let p = hub.path().join("content/case-studies/alpha.md");
    let good = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, good.replace("region: powys", "region: powis")).unwrap();
    let page = eventually(srv.port, "/case-studies/alpha/", "overlay", |r| {
        r.body.contains("hub-overlay")
    });
    assert!(
        page.body
            .contains("<code>content/case-studies/alpha.md:4:9</code>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("did you mean `powys`?"));
    assert!(
        page.body.contains("Alpha Falls Service"),
        "the last good page is still served"
    );
    assert!(
        get(srv.port, "/case-studies/beta/")
            .body
            .contains("hub-overlay"),
        "every page shows it"
    );
    std::fs::write(&p, good).unwrap();
    eventually(srv.port, "/case-studies/alpha/", "overlay gone", |r| {
        !r.body.contains("hub-overlay")
    });
}

#[test]
fn a_port_in_use_moves_to_the_next() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let hub = Hub::fixture("basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_hub"))
        .args(["serve", "--port", &port.to_string(), "--root"])
        .arg(hub.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut served = String::new();
    out.read_line(&mut served).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        line.trim(),
        format!("port {port} is in use; trying {}", port + 1)
    );
    assert!(served.starts_with("serving http://127.0.0.1:"), "{served}");
    assert!(!served.contains(&format!(":{port}/")), "{served}");
}

#[test]
fn a_stylesheet_edit_swaps_styles_without_a_reload() {
    let hub = Hub::fixture("basic");
    hub.write(
        "content/hub.yaml",
        "title: Test Hub\nbase_url: https://example.org/\ntheme: local\n",
    );
    hub.write("themes/local/static/assets/hub.css", "body{color:black}");
    let srv = serve(&hub, &[]);
    let events = listen(srv.port);
    hub.write("themes/local/static/assets/hub.css", "body{color:navy}");
    assert_eq!(events.recv_timeout(Duration::from_secs(10)).unwrap(), "css");
    let css = Hub::stylesheet(&get(srv.port, "/").body);
    // Minified on the way: the rule is there, in one line.
    let body = get(srv.port, &format!("/{css}")).body;
    assert!(
        body.starts_with("body{color:navy") && !body.contains('\n'),
        "{body}"
    );
}

#[test]
fn polling_also_sees_changes() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &["--poll"]);
    let p = hub.path().join("content/about.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("About the test hub.", "Polled change.")).unwrap();
    eventually(srv.port, "/about/", "poll", |r| {
        r.body.contains("Polled change.")
    });
}

#[test]
fn hub_build_output_has_no_live_reload() {
    let hub = Hub::fixture("basic");
    hub.build().expect_code(0);
    for (path, bytes) in hub.output() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__hub"),
            "{path} mentions the live-reload endpoint"
        );
    }
}

#[test]
fn ctrl_c_stops_cleanly_without_leaving_files() {
    let hub = Hub::fixture("basic");
    let before: Vec<_> = std::fs::read_dir(hub.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let mut srv = serve(&hub, &[]);
    assert_eq!(get(srv.port, "/").status, 200);
    let status = Command::new("kill")
        .args(["-INT", &srv.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let code = srv.child.wait().unwrap();
    assert_eq!(code.code(), Some(0), "Ctrl-C exits with success");
    let after: Vec<_> = std::fs::read_dir(hub.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(before, after, "serve leaves nothing behind in the hub root");
}

/// Resident memory of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap()
}

#[test]
fn five_hundred_silent_live_reload_clients_and_slowloris_headers_do_not_stop_it() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let before = rss_kib(srv.child.id());
    let mut held = Vec::new();
    // Live-reload streams that are never read.
    for _ in 0..500 {
        let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
        write!(s, "GET /__hub/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        held.push(s);
    }
    // Requests whose headers never end.
    for _ in 0..200 {
        let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
        write!(s, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: a").unwrap();
        held.push(s);
    }
    // An edit is still built and broadcast, and pages still answer.
    let p = hub.path().join("content/about.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("About the test hub.", "About the test hub, under load."),
    )
    .unwrap();
    eventually(srv.port, "/about/", "the edit", |r| {
        r.body.contains("under load")
    });
    for _ in 0..20 {
        assert_eq!(get(srv.port, "/").status, 200);
    }
    let after = rss_kib(srv.child.id());
    assert!(
        after < before + 150 * 1024,
        "memory grew from {before} KiB to {after} KiB"
    );
    drop(held);
    assert_eq!(get(srv.port, "/case-studies/alpha/").status, 200);
}

#[test]
fn the_content_folder_deleted_and_recreated_and_a_thousand_files_at_once() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let content = hub.path().join("content");
    let saved = tempfile::tempdir().unwrap();
    let copy = saved.path().join("content");
    Command::new("cp")
        .arg("-r")
        .arg(&content)
        .arg(&copy)
        .status()
        .unwrap();
    std::fs::remove_dir_all(&content).unwrap();
    // The last good site stays up; the error is shown, not fatal.
    eventually(srv.port, "/", "the overlay", |r| {
        r.body.contains("hub-overlay")
    });
    assert_eq!(get(srv.port, "/case-studies/alpha/").status, 200);
    Command::new("cp")
        .arg("-r")
        .arg(&copy)
        .arg(&content)
        .status()
        .unwrap();
    eventually(srv.port, "/", "recovery", |r| {
        r.status == 200 && !r.body.contains("hub-overlay")
    });
    // A thousand new studies in one go (a branch switch, an unzip).
    for i in 0..1000 {
        hub.write(
            &format!("content/case-studies/bulk-{i:04}.md"),
            format!("---\ntitle: Bulk {i}\nsummary: One of many.\nregion: powys\noutcomes: [pcmw-3]\nstatus: pilot\n---\n\nText {i}.\n"),
        );
    }
    eventually(
        srv.port,
        "/case-studies/bulk-0999/",
        "the last of them",
        |r| r.status == 200,
    );
    // Files caught half-written are read again when their last write settles.
    eventually(srv.port, "/case-studies/", "all 1000 listed", |r| {
        (0..1000).all(|i| r.body.contains(&format!(">Bulk {i}<")))
    });
}

#[test]
fn the_hub_root_renamed_keeps_serving_the_last_good_site() {
    let parent = tempfile::tempdir().unwrap();
    let hub = Hub::fixture("basic");
    let root = parent.path().join("hub");
    Command::new("cp")
        .arg("-r")
        .arg(hub.path())
        .arg(&root)
        .status()
        .unwrap();
    let mut srv = serve_root(&root, &[]);
    std::fs::rename(&root, parent.path().join("moved")).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(get(srv.port, "/case-studies/alpha/").status, 200);
    assert!(srv.child.try_wait().unwrap().is_none(), "still running");
}

#[test]
fn the_search_index_follows_an_edit_after_the_reload() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    let p = hub.path().join("content/case-studies/alpha.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("Fewer falls.", "Fewer falls and a zebracrossing."),
    )
    .unwrap();
    // alpha is study 0 in the index (studies are sorted by slug).
    eventually(
        srv.port,
        "/search/en/d0.json",
        "the new text in the record",
        |r| r.body.contains("zebracrossing"),
    );
    eventually(
        srv.port,
        "/search/en/k0.json",
        "the new word in the keys",
        |r| r.body.contains("\"zebracross\""),
    );
}

/// Sends raw request bytes and reads the answer's status line (empty if the server closed).
fn raw_status(port: u16, request: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    String::from_utf8_lossy(&raw)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn hostile_requests_never_stop_the_preview_or_read_it_from_another_site() {
    let hub = Hub::fixture("basic");
    let srv = serve(&hub, &[]);
    // DNS rebinding: a page on another site whose name resolves to 127.0.0.1.
    assert_eq!(
        raw_status(
            srv.port,
            b"GET /case-studies/alpha/ HTTP/1.1\r\nHost: rebind.evil.example:1111\r\nConnection: close\r\n\r\n"
        ),
        "HTTP/1.1 421 Misdirected Request"
    );
    assert_eq!(
        raw_status(srv.port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"),
        "HTTP/1.1 421 Misdirected Request"
    );
    // Odd paths and redirects, more of them than there are workers: every one is answered.
    for path in [
        "/case-studies/alpha",
        "/case-studies/t%C5%B7",
        "/%FF%FE",
        "/case-studies/%0d%0aSet-Cookie:x",
        "/cy",
        "/a/../../etc/passwd",
        "/%2e%2e/%2e%2e/",
        "/case-studies/beta",
    ] {
        let status = raw_status(
            srv.port,
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(
            ["HTTP/1.1 301", "HTTP/1.1 404", "HTTP/1.1 400"]
                .iter()
                .any(|s| status.starts_with(s)),
            "{path}: {status}"
        );
    }
    assert_eq!(get(srv.port, "/case-studies/alpha/").status, 200);
}

#[test]
fn a_silent_client_is_dropped_after_the_idle_timeout() {
    let hub = Hub::fixture("basic");
    let srv = serve_env(hub.path(), &[], &[("HUB_SERVE_IDLE_SECONDS", "2")]);
    let mut s = TcpStream::connect(("127.0.0.1", srv.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
    write!(s, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: a").unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 64];
    let n = s.read(&mut buf).unwrap_or(0);
    assert_eq!(n, 0, "the server answered a request that never ended");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "closed after {:?}",
        started.elapsed()
    );
    // Idle for longer than the timeout, the server still accepts and answers.
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(get(srv.port, "/").status, 200);
}

#[test]
fn a_missing_page_gets_the_404_of_its_language_whichever_comes_first() {
    let hub = Hub::fixture("basic");
    let config = std::fs::read_to_string(hub.path().join("content/hub.yaml")).unwrap();
    assert!(!config.contains("languages"));
    hub.write("content/hub.yaml", format!("{config}languages: [cy, en]\n"));
    let srv = serve(&hub, &[]);
    let welsh = get(srv.port, "/dim-yma/");
    assert_eq!(welsh.status, 404);
    assert!(welsh.body.contains("<html lang=\"cy\""), "{}", welsh.body);
    let english = get(srv.port, "/en/not-here/");
    assert_eq!(english.status, 404);
    assert!(
        english.body.contains("<html lang=\"en\""),
        "{}",
        english.body
    );
}
