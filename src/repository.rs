//! Where the hub's files live online (`repository:` and `branch:` in hub.yaml), so that every
//! page can offer "Edit this page" and the site "Add your work": routes in for contributors who
//! will never install anything. GitHub and GitLab addresses are understood.

use crate::diagnostics::Diagnostic;
use crate::yaml::fields::Fields;

/// A hosted repository and the branch pages are edited on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// `https://github.com/owner/name`, without a trailing `/`.
    pub url: String,
    /// The branch, e.g. `main`.
    pub branch: String,
    host: Host,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    GitHub,
    GitLab,
}

/// Characters a path or a query value keeps as they are in the URLs made here.
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');
const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

impl Repository {
    /// The page that edits `path` (relative to the repository's root) in the browser.
    pub fn edit_url(&self, path: &str) -> String {
        let path = percent_encoding::utf8_percent_encode(path, PATH);
        match self.host {
            Host::GitHub => format!("{}/edit/{}/{path}", self.url, self.branch),
            Host::GitLab => format!("{}/-/edit/{}/{path}", self.url, self.branch),
        }
    }

    /// The page that shows `path`.
    pub fn view_url(&self, path: &str) -> String {
        let path = percent_encoding::utf8_percent_encode(path, PATH);
        match self.host {
            Host::GitHub => format!("{}/blob/{}/{path}", self.url, self.branch),
            Host::GitLab => format!("{}/-/blob/{}/{path}", self.url, self.branch),
        }
    }

    /// The page that creates a new file in `folder`, named `name` and filled with `text`.
    pub fn new_file_url(&self, folder: &str, name: &str, text: &str) -> String {
        let folder = percent_encoding::utf8_percent_encode(folder, PATH);
        let name = percent_encoding::utf8_percent_encode(name, QUERY);
        let text = percent_encoding::utf8_percent_encode(text, QUERY);
        match self.host {
            Host::GitHub => format!(
                "{}/new/{}/{folder}?filename={name}&value={text}",
                self.url, self.branch
            ),
            Host::GitLab => format!(
                "{}/-/new/{}/{folder}?file_name={name}&content={text}",
                self.url, self.branch
            ),
        }
    }
}

/// `repository:` and `branch:` of hub.yaml, checked.
pub fn parse(f: &mut Fields) -> Option<Repository> {
    let branch = f.string("branch");
    let url = f.string("repository")?;
    let trimmed = url.value.trim_end_matches('/').trim_end_matches(".git");
    let host = if trimmed.starts_with("https://github.com/") {
        Some(Host::GitHub)
    } else if trimmed.starts_with("https://gitlab.") {
        Some(Host::GitLab)
    } else {
        None
    };
    let parts = trimmed.splitn(4, '/').nth(3).unwrap_or("");
    let owner_and_name = parts.split('/').filter(|p| !p.is_empty()).count() >= 2;
    let safe = trimmed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_./:".contains(c));
    let Some(host) = host.filter(|_| owner_and_name && safe) else {
        f.diags.push(
            Diagnostic::error(
                f.path(),
                url.line,
                url.column,
                format!(
                    "`{}` is not a GitHub or GitLab repository address",
                    url.value
                ),
            )
            .with_help(
                "write the address of the repository's page, e.g. `https://github.com/owner/name`",
            ),
        );
        return None;
    };
    let branch = match branch {
        Some(b)
            if b.value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) =>
        {
            b.value
        }
        Some(b) => {
            f.diags.push(Diagnostic::error(
                f.path(),
                b.line,
                b.column,
                format!("`{}` is not a branch name", b.value),
            ));
            return None;
        }
        None => "main".to_string(),
    };
    Some(Repository {
        url: trimmed.to_string(),
        branch,
        host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_for_github_and_gitlab() {
        let gh = Repository {
            url: "https://github.com/o/hub".into(),
            branch: "main".into(),
            host: Host::GitHub,
        };
        assert_eq!(
            gh.edit_url("content/case-studies/a b.md"),
            "https://github.com/o/hub/edit/main/content/case-studies/a%20b.md"
        );
        assert_eq!(
            gh.new_file_url("content/case-studies", "x.md", "a: b\n"),
            "https://github.com/o/hub/new/main/content/case-studies?filename=x.md&value=a%3A%20b%0A"
        );
        let gl = Repository {
            url: "https://gitlab.com/o/hub".into(),
            branch: "trunk".into(),
            host: Host::GitLab,
        };
        assert_eq!(
            gl.view_url("CONTRIBUTING.md"),
            "https://gitlab.com/o/hub/-/blob/trunk/CONTRIBUTING.md"
        );
    }
}
