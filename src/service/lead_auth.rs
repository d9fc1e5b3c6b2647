//! Whether a mail that claims to be a regional lead's reply to one of our notifications
//! really is one. Two proofs are needed:
//!
//! - **The token.** A lead notification's Message-ID carries an HMAC-SHA256 (RFC 2104) over
//!   the enquiry id and the lead's address, keyed with a server secret, so it cannot be
//!   guessed from the `[FPT-n]` reference; the reply's `In-Reply-To`/`References` must name a
//!   notification whose token verifies for that enquiry and the replying address.
//! - **The sender.** The receiving server's `Authentication-Results` header (RFC 8601), from
//!   an authserv-id listed in `[mail] trusted_authserv_ids`, must show DMARC or DKIM (RFC
//!   6376) passing for the lead's domain, or SPF (RFC 7208) passing for it. The trusted server
//!   must remove such headers claiming its own id from incoming mail (RFC 8601 §5), as
//!   Postfix with OpenDKIM/OpenDMARC, Exim and Microsoft 365 do.
//!
//! The secret comes from `FPT_LEAD_SECRET`, else from `<data_dir>/lead-token.key` (32 random
//! bytes, created on first use, readable by the owner only). Several instances sharing one
//! database must share the secret.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::Config;
use crate::enquiry::Headers;

/// Hex digits of the HMAC kept in a Message-ID (128 bits).
const TOKEN_HEX: usize = 32;

/// The environment variable holding the secret.
pub const SECRET_ENV: &str = "FPT_LEAD_SECRET";

static FILE_SECRETS: LazyLock<Mutex<HashMap<PathBuf, Vec<u8>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The server secret: `FPT_LEAD_SECRET`, else the key file in the data folder (created with
/// 32 random bytes when missing). Errors name the file and what to do.
pub fn secret(config: &Config) -> Result<Vec<u8>, String> {
    if let Ok(s) = std::env::var(SECRET_ENV) {
        if !s.is_empty() {
            return Ok(s.into_bytes());
        }
    }
    let path = config.data_dir.join("lead-token.key");
    let mut cache = FILE_SECRETS
        .lock()
        .map_err(|_| "the lead-token secret cache is poisoned".to_string())?;
    if let Some(s) = cache.get(&path) {
        return Ok(s.clone());
    }
    let secret = match std::fs::read(&path) {
        Ok(bytes) if bytes.len() >= 32 => bytes,
        Ok(_) => {
            return Err(format!(
                "{}: shorter than 32 bytes: delete it (a new one is made) or set {SECRET_ENV}",
                path.display()
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_key(&path)?,
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    cache.insert(path, secret.clone());
    Ok(secret)
}

fn create_key(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    use std::io::Write;
    let mut key = vec![0u8; 32];
    OsRng.fill_bytes(&mut key);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut f) => {
            f.write_all(&key)
                .and_then(|_| f.sync_all())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(key)
        }
        // made by another process meanwhile: use theirs
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
        }
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The token for a notification of enquiry `enquiry_id` to `lead` (address compared
/// case-insensitively): the first 128 bits of HMAC-SHA256(secret, "lead-notification\0<id>\0<lead>"), hex.
pub fn token(secret: &[u8], enquiry_id: i64, lead: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"lead-notification\0");
    mac.update(enquiry_id.to_string().as_bytes());
    mac.update(b"\0");
    mac.update(lead.trim().to_ascii_lowercase().as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..TOKEN_HEX]
        .to_string()
}

/// The idempotency key of a notification with its token: `<key>.<token>`, which becomes the
/// Message-ID's left-hand side.
pub fn keyed(key: &str, token: &str) -> String {
    format!("{key}.{token}")
}

/// Whether the Message-ID `message_id` (without `<>`) carries a valid token for enquiry
/// `enquiry_id` and `lead`. Compared in constant time.
pub fn verify(secret: &[u8], message_id: &str, enquiry_id: i64, lead: &str) -> bool {
    let local = message_id.split('@').next().unwrap_or_default();
    let Some((_, tag)) = local.rsplit_once('.') else {
        return false;
    };
    let expected = token(secret, enquiry_id, lead);
    tag.len() == expected.len()
        && tag
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Why a claimed lead reply was not accepted, or that it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Genuine,
    /// Not accepted, with the reason for the audit log and the admins.
    Doubtful(String),
}

/// One `method=result` of an Authentication-Results header with its properties.
#[derive(Debug, Default)]
struct AuthResult {
    method: String,
    result: String,
    props: Vec<(String, String)>,
}

/// Removes RFC 5322 comments `( … )` (nested) from a header value.
fn strip_comments(value: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Parses an `Authentication-Results` value (RFC 8601 §2.2): the authserv-id and the results.
fn parse_results(value: &str) -> (String, Vec<AuthResult>) {
    let value = strip_comments(value);
    let mut parts = value.split(';');
    let authserv = parts
        .next()
        .and_then(|p| p.split_whitespace().next())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let results = parts
        .filter_map(|part| {
            let mut words = part.split_whitespace();
            let (method, result) = words.next()?.split_once('=')?;
            let props = words
                .filter_map(|w| w.split_once('='))
                .map(|(k, v)| (k.to_ascii_lowercase(), v.trim_matches('"').to_string()))
                .collect();
            Some(AuthResult {
                method: method.to_ascii_lowercase(),
                result: result.to_ascii_lowercase(),
                props,
            })
        })
        .collect();
    (authserv, results)
}

/// The domain of an address or of a bare domain, lower-case, without `<>`.
fn domain_of(s: &str) -> String {
    let s = s.trim().trim_matches(['<', '>']);
    s.rsplit_once('@')
        .map_or(s, |(_, d)| d)
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Whether the trusted receiving server's `Authentication-Results` show the mail from
/// `lead` authenticated: `dmarc=pass` with `header.from` the lead's domain, `dkim=pass` with
/// `header.d` (or `header.i`) in it, or `spf=pass` with `smtp.mailfrom` in it. Only headers
/// whose authserv-id is in `trusted` (case-insensitive) count.
pub fn sender_authenticated(headers: &Headers, lead: &str, trusted: &[String]) -> bool {
    let domain = domain_of(lead);
    if domain.is_empty() {
        return false;
    }
    headers
        .0
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("Authentication-Results"))
        .map(|(_, v)| parse_results(v))
        .filter(|(id, _)| trusted.iter().any(|t| t.trim().eq_ignore_ascii_case(id)))
        .flat_map(|(_, results)| results)
        .any(|r| {
            let prop = |name: &str| {
                r.props
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| domain_of(v))
            };
            r.result == "pass"
                && match r.method.as_str() {
                    "dmarc" => prop("header.from").as_deref() == Some(domain.as_str()),
                    "dkim" => {
                        prop("header.d").as_deref() == Some(domain.as_str())
                            || prop("header.i").as_deref() == Some(domain.as_str())
                    }
                    "spf" => prop("smtp.mailfrom").as_deref() == Some(domain.as_str()),
                    _ => false,
                }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> Headers {
        let mut h = Headers::default();
        for v in values {
            h.push("Authentication-Results", *v);
        }
        h
    }

    #[test]
    fn tokens_verify_only_for_their_enquiry_and_lead() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let t = token(secret, 7, "Lead@Example.org");
        let id = format!("{}@fpt.example.org", keyed("lead-7", &t));
        assert!(verify(secret, &id, 7, "lead@example.org"));
        assert!(!verify(secret, &id, 8, "lead@example.org"));
        assert!(!verify(secret, &id, 7, "eve@example.org"));
        assert!(!verify(
            b"another secret, another server!",
            &id,
            7,
            "lead@example.org"
        ));
        assert!(!verify(
            secret,
            "lead-7@fpt.example.org",
            7,
            "lead@example.org"
        ));
    }

    #[test]
    fn only_a_trusted_servers_pass_for_the_leads_domain_counts() {
        let trusted = vec!["mx.example.org".to_string()];
        let lead = "lead@example.org";
        let ok = headers(&["mx.example.org; dkim=pass (good) header.d=example.org; spf=fail"]);
        assert!(sender_authenticated(&ok, lead, &trusted));
        let dmarc = headers(&["MX.example.org 1; dmarc=pass header.from=example.org"]);
        assert!(sender_authenticated(&dmarc, lead, &trusted));
        let spf = headers(&["mx.example.org; spf=pass smtp.mailfrom=lead@example.org"]);
        assert!(sender_authenticated(&spf, lead, &trusted));
        // the attacker's own server, or a pass for another domain, or a failure
        let other = headers(&["mx.attacker.example; dkim=pass header.d=example.org"]);
        assert!(!sender_authenticated(&other, lead, &trusted));
        let wrong = headers(&["mx.example.org; dkim=pass header.d=attacker.example"]);
        assert!(!sender_authenticated(&wrong, lead, &trusted));
        let fail = headers(&["mx.example.org; dmarc=fail header.from=example.org"]);
        assert!(!sender_authenticated(&fail, lead, &trusted));
        assert!(!sender_authenticated(&ok, lead, &[]));
    }
}
