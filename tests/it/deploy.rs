//! Deployment: netlify.toml says what Netlify needs, and its build command, run here, produces
//! the publish folder with the deploy URL as base.

use std::path::Path;
use std::process::Command;

fn netlify() -> toml::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml"))
        .unwrap();
    toml::from_str(&text).expect("netlify.toml parses")
}

#[test]
fn netlify_toml_has_the_build_headers_and_404() {
    let n = netlify();
    assert_eq!(n["build"]["publish"].as_str(), Some("public"));
    assert!(
        n["build"]["command"]
            .as_str()
            .unwrap()
            .starts_with("scripts/netlify-build")
    );
    assert!(
        n["context"]["deploy-preview"]["command"]
            .as_str()
            .unwrap()
            .contains("$DEPLOY_PRIME_URL")
    );
    let cache = &n["plugins"].as_array().unwrap()[0];
    assert_eq!(cache["package"].as_str(), Some("netlify-plugin-cache"));
    assert!(
        cache["inputs"]["paths"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p.as_str() == Some("target"))
    );
    let headers = n["headers"].as_array().unwrap();
    let all = headers
        .iter()
        .find(|h| h["for"].as_str() == Some("/*"))
        .expect("headers for every path");
    let csp = all["values"]["Content-Security-Policy"].as_str().unwrap();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("script-src 'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(
        all["values"]["X-Content-Type-Options"].as_str(),
        Some("nosniff")
    );
    assert!(all["values"]["Referrer-Policy"].as_str().is_some());
    let assets = headers
        .iter()
        .find(|h| h["for"].as_str() == Some("/assets/*"))
        .expect("asset caching");
    assert!(
        assets["values"]["Cache-Control"]
            .as_str()
            .unwrap()
            .contains("immutable")
    );
    let redirects = n["redirects"].as_array().unwrap();
    assert!(redirects.iter().any(|r| r["to"].as_str() == Some("/404.html") && r["status"].as_integer() == Some(404)));
    assert!(
        redirects
            .iter()
            .any(|r| r["to"].as_str() == Some("/cy/404.html"))
    );
}

#[test]
fn the_netlify_build_command_produces_the_publish_folder() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("scripts")).unwrap();
    std::fs::copy(
        repo.join("scripts/netlify-build"),
        dir.path().join("scripts/netlify-build"),
    )
    .unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(repo.join("content"))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let out = Command::new("bash")
        .arg(dir.path().join("scripts/netlify-build"))
        .arg("https://deploy-preview-7--hub.netlify.app")
        .env("HUB_BIN", env!("CARGO_BIN_EXE_hub"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let public = dir.path().join("public");
    assert!(public.join("index.html").is_file() && public.join("404.html").is_file());
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://deploy-preview-7--hub.netlify.app/case-studies/healthy-homes/</loc>"
    ));
}
