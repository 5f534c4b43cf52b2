//! `hub serve`: build into memory, serve over HTTP, watch the sources, rebuild what changed and
//! tell the browser to reload. It wraps the build pipeline; it does not fork it.

pub mod http;
pub mod incremental;
pub mod plan;
pub mod reload;
pub mod watch;

use crate::diagnostics::{self, Diagnostic, Format};
use crate::render::RenderOptions;
use crate::{BuildOptions, Failure};
use http::{Shared, Snapshot};
use incremental::Session;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;
use watch::Change;

/// Options of `hub serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The hub root.
    pub root: PathBuf,
    /// Address to bind.
    pub bind: IpAddr,
    /// First port to try.
    pub port: u16,
    /// Publish drafts.
    pub drafts: bool,
    /// Poll the file system instead of using change events.
    pub poll: bool,
}

/// How many ports after the requested one to try when it is in use.
const PORT_TRIES: u16 = 20;
/// Threads answering ordinary requests.
const WORKERS: usize = 4;

/// Binds the first free port from `opts.port` on, saying so when the first choice is taken.
fn bind(opts: &ServeOptions) -> Result<std::net::TcpListener, Failure> {
    let mut port = opts.port;
    loop {
        match listen(SocketAddr::new(opts.bind, port)) {
            Ok(listener) => return Ok(listener),
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse
                    && port != 0
                    && port < opts.port.saturating_add(PORT_TRIES) =>
            {
                eprintln!("port {port} is in use; trying {}", port + 1);
                port += 1;
            }
            Err(e) => {
                return Err(Failure::Usage(format!(
                    "cannot listen on {}:{port}: {e}",
                    opts.bind
                )));
            }
        }
    }
}

/// Serves requests for as long as the process runs. tiny_http's accept loop stops for good on
/// an accept error (after a timeout, see [`listen`]); the server is then started again on the
/// same socket.
fn serve_forever(listener: std::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let server = match listener
            .try_clone()
            .map_err(|e| e.to_string())
            .and_then(|l| tiny_http::Server::from_listener(l, None).map_err(|e| e.to_string()))
        {
            Ok(s) => Arc::new(s),
            Err(e) => {
                eprintln!("error: the preview cannot accept connections: {e}");
                std::thread::sleep(std::time::Duration::from_secs(1));
                continue;
            }
        };
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let (server, shared) = (server.clone(), shared.clone());
                std::thread::spawn(move || supervise(&server, &shared))
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    }
}

/// Connects to the server now and then, so that its accept never waits a whole idle timeout
/// (accept on Linux obeys the listening socket's receive timeout, which connections need).
fn keep_accepting(addr: SocketAddr, every: std::time::Duration) {
    loop {
        std::thread::sleep(every);
        let _ = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(1));
    }
}

/// A listening socket whose connections send small responses at once: tiny_http writes headers
/// and body separately, and with Nagle's algorithm each keep-alive response then waits for the
/// client's delayed ACK (about 40 ms). Linux passes TCP_NODELAY on to accepted connections.
fn listen(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
    let socket = socket2::Socket::new(
        socket2::Domain::for_address(addr),
        socket2::Type::STREAM,
        Some(socket2::Protocol::TCP),
    )?;
    socket.set_reuse_address(true)?;
    socket.set_tcp_nodelay(true)?;
    // Accepted connections inherit these on Linux: a client that stops sending (or reading)
    // mid-request is dropped, so slow clients cannot hold threads for ever.
    let idle = idle_timeout();
    socket.set_read_timeout(Some(idle))?;
    socket.set_write_timeout(Some(idle))?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// How long a connection may stay silent: `HUB_SERVE_IDLE_SECONDS` (tests shorten it), else 30 s.
fn idle_timeout() -> std::time::Duration {
    let secs = std::env::var("HUB_SERVE_IDLE_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(30);
    std::time::Duration::from_secs(secs)
}

/// Runs the preview server until interrupted.
pub fn run(mut opts: ServeOptions) -> Result<(), Failure> {
    // Watch events carry absolute paths; compare them with an absolute root.
    opts.root = opts
        .root
        .canonicalize()
        .map_err(|e| Failure::Usage(format!("cannot open {}: {e}", opts.root.display())))?;
    let listener = bind(&opts)?;
    let port = listener.local_addr().map_or(opts.port, |a| a.port());
    let shown_host = if opts.bind.is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        opts.bind
    };
    let base_url = format!("http://{}/", SocketAddr::new(shown_host, port));
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine can see the preview",
            opts.bind
        );
    }

    let build_opts = BuildOptions {
        root: opts.root.clone(),
        base_url: Some(base_url.clone()),
        drafts: opts.drafts,
        require_welsh: None,
        readable_assets: true,
    };
    let render = RenderOptions {
        live_reload: Some(http::RELOAD_JS_PATH.to_string()),
    };
    let mut session = Session::new(build_opts, render);
    let shared = Arc::new(Shared {
        bind: opts.bind,
        snapshot: RwLock::new(Snapshot::default()),
        listeners: Mutex::new(Vec::new()),
    });
    let started = Instant::now();
    let result = session.full();
    publish(&shared, &session, result, started);

    {
        let shared = shared.clone();
        std::thread::spawn(move || serve_forever(listener, shared));
        let local = SocketAddr::new(shown_host, port);
        std::thread::spawn(move || keep_accepting(local, idle_timeout() / 3));
    }
    let _ = ctrlc::set_handler(move || {
        // Nothing is written to disk while serving, so there is nothing to clean up.
        eprintln!("stopped");
        std::process::exit(0);
    });

    let (events, rx) = channel::<Event>();
    let (changes, watched) = channel::<Change>();
    let out = opts.root.join("public");
    let mut watcher = watch::start(&opts.root, Some(out), opts.poll, changes)
        .map_err(|e| Failure::Usage(format!("cannot watch {}: {e}", opts.root.display())))?;
    {
        let events = events.clone();
        std::thread::spawn(move || {
            for change in watched {
                if events.send(Event::Watch(change)).is_err() {
                    return;
                }
            }
        });
    }
    // Printed once watching has started, so that a change made after this line is never missed.
    println!("serving {base_url}");
    println!("watching {} (Ctrl-C to stop)", opts.root.display());
    // Scripts and tests read this through a pipe, where stdout is not flushed per line.
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let mut indexing = false;
    for event in rx {
        match event {
            Event::Watch(Change::Nothing) => {}
            Event::Watch(Change::Stylesheets) => {
                eprintln!("stylesheet changed");
                shared.broadcast("css");
            }
            Event::Watch(Change::Sources(paths)) => {
                if paths
                    .iter()
                    .any(|p| p == &opts.root.join("content") || p == &opts.root.join("themes"))
                {
                    watcher.rewatch(&opts.root);
                }
                let started = Instant::now();
                let result = session.apply(&paths);
                publish(&shared, &session, result, started);
                index_in_background(&mut session, &mut indexing, &events);
            }
            Event::Indexed(generation, files) => {
                indexing = false;
                if session.accept_search(generation, files) {
                    let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
                    snap.files = session.files();
                } else {
                    // The site changed while it was built: build it again for the new site.
                    index_in_background(&mut session, &mut indexing, &events);
                }
            }
        }
    }
    Ok(())
}

/// One worker: answers requests one after another. A request that panics is answered with
/// 500 (tiny_http answers a request dropped unanswered) and logged; the worker carries on, so no
/// sequence of requests can leave the preview without workers.
fn supervise(server: &tiny_http::Server, shared: &Arc<Shared>) {
    for req in server.incoming_requests() {
        let url = diagnostics::printable(req.url()).into_owned();
        let answered =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| http::handle(req, shared)));
        if answered.is_err() {
            eprintln!("error: answering {url} failed; the preview carries on (please report this)");
        }
    }
}

/// What the serve loop waits for.
enum Event {
    /// The sources changed.
    Watch(Change),
    /// A search index finished building for the session's site of that generation.
    Indexed(u64, Vec<crate::output::OutputFile>),
}

/// Starts rebuilding a stale search index on its own thread (and one core), unless one is being
/// built already: the index takes far longer than the pages, and no save should wait behind it.
/// The pages are already published; the index is swapped in without a reload when it is done.
fn index_in_background(session: &mut Session, indexing: &mut bool, events: &Sender<Event>) {
    if *indexing {
        return;
    }
    let Some(job) = session.search_job() else {
        return;
    };
    *indexing = true;
    let events = events.clone();
    std::thread::spawn(move || {
        let (generation, files) = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
            Ok(pool) => pool.install(|| job.run()),
            Err(_) => job.run(),
        };
        let _ = events.send(Event::Indexed(generation, files));
    });
}

/// Makes a rebuild's outcome visible: new files or the error overlay, then a reload event.
fn publish(
    shared: &Shared,
    session: &Session,
    result: Result<incremental::Report, Failure>,
    started: Instant,
) {
    // A save that changed nothing (the same text) leaves the reader's page alone, unless an
    // error is on show that the save may have fixed.
    let unchanged = matches!(&result, Ok(r) if r.rendered == 0 && r.removed == 0 && !r.full)
        && shared
            .snapshot
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .errors
            .is_empty();
    let errors: Vec<Diagnostic> = match result {
        Ok(_) if unchanged => {
            eprintln!("no change ({} ms)", started.elapsed().as_millis());
            Vec::new()
        }
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", diagnostics::render(&report.warnings, Format::Human));
            }
            eprintln!(
                "rebuilt in {} ms ({} {}{})",
                started.elapsed().as_millis(),
                report.rendered,
                if report.full {
                    "files: full build"
                } else {
                    "files"
                },
                if report.removed > 0 {
                    format!(", {} removed", report.removed)
                } else {
                    String::new()
                }
            );
            Vec::new()
        }
        Err(Failure::Content(diags)) => {
            eprint!("{}", diagnostics::render(&diags, Format::Human));
            eprintln!("the preview keeps the last good build until this is fixed");
            diags
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("error: {}", diagnostics::printable(&msg));
            vec![Diagnostic::error("(hub)", 1, 1, msg)]
        }
    };
    {
        let mut snap = shared.snapshot.write().unwrap_or_else(|e| e.into_inner());
        snap.files = session.files();
        snap.urls = session.urls();
        snap.errors = errors;
    }
    if !unchanged {
        shared.broadcast("reload");
    }
}
