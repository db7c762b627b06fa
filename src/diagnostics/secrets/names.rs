//! Which key names hold secrets: the known ones, and their misspellings, so
//! that `auth_pasword = "..."` is masked like `auth_password`.

/// Words that make a key secret-bearing wherever they occur in its name.
const WORDS: &[&str] = &[
    "password",
    "secret",
    "token",
    "key",
    "credential",
    "webhook",
];

/// Words a segment of the name is compared with, allowing for a typo.
const FUZZY: &[&str] = &[
    "key",
    "password",
    "passwd",
    "secret",
    "token",
    "credential",
    "credentials",
    "webhook",
];

/// Segments that are secret on their own.
const EXACT: &[&str] = &["pass", "pwd", "passwd", "apikey", "sig", "signature"];

/// Whether a key (a bare key, a dotted key or a query parameter's name) may
/// hold a secret: it contains `password`, `secret`, `token`, `key`,
/// `credential`, `api_url` or `webhook`, or a segment is one typo away from
/// one of them.
pub fn is_secret_key(name: &str) -> bool {
    let lower: String = name
        .chars()
        .take(256)
        .flat_map(char::to_lowercase)
        .collect();
    let joined: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    if WORDS.iter().any(|w| joined.contains(w)) || joined.contains("apiurl") {
        return true;
    }
    let segments: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|s| !s.is_empty())
        .collect();
    let near = |s: &str, w: &str| {
        let allowed = if w.len() >= 8 { 2 } else { 1 };
        // `ky` for `key`; a longer word's typo keeps four letters.
        s.len() >= w.len().min(4) - 1 && strsim::damerau_levenshtein(s, w) <= allowed
    };
    segments
        .iter()
        .any(|s| EXACT.contains(s) || FUZZY.iter().any(|w| near(s, w)))
        || segments
            .windows(2)
            .any(|pair| near(&format!("{}{}", pair[0], pair[1]), "apiurl"))
}

#[cfg(test)]
mod tests {
    use super::is_secret_key;

    #[test]
    fn known_keys_and_their_misspellings() {
        for k in [
            "auth_password",
            "auth_pasword",
            "auth_passwrod",
            "routing_ky",
            "api_kye_file",
            "api_key",
            "routing_key_file",
            "slack_api_url",
            "slack_api_ulr",
            "token",
            "tokn",
            "secert",
            "bot_token",
            "credentials_file",
            "credentails_file",
            "webhook_url",
            "\"auth password\"",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        for k in [
            "name", "hosts", "receiver", "channel", "url", "server", "job",
        ] {
            assert!(!is_secret_key(k), "{k}");
        }
    }
}
