//! A scrape target as the spec writes it, before it is resolved: the
//! inventories and the jobs both read targets, so the type is shared.

use super::names::split_host_port;
use crate::spec::Str;
use std::ops::Range;

/// A target as written (or derived from a host of another section).
pub struct Target<'a> {
    pub text: std::borrow::Cow<'a, Str>,
    /// The port to add when the text has none; `None` when a port is required.
    pub default_port: Option<u16>,
    /// Built-in targets (self-monitoring) have no place in the spec.
    pub builtin: bool,
}

impl<'a> Target<'a> {
    pub fn host(s: &'a Str, port: u16) -> Self {
        Target {
            text: std::borrow::Cow::Borrowed(s),
            default_port: Some(port),
            builtin: false,
        }
    }
    pub fn address(s: &'a Str) -> Self {
        Target {
            text: std::borrow::Cow::Borrowed(s),
            default_port: None,
            builtin: false,
        }
    }
    /// A target made from a host named elsewhere (node exporter on a role's
    /// host); findings point at that host.
    pub fn derived(host: &str, at: Range<usize>, port: u16) -> Self {
        Target {
            text: std::borrow::Cow::Owned(Str::new(at, host.to_string())),
            default_port: Some(port),
            builtin: false,
        }
    }
    /// The host without its port, as inventories name it.
    pub fn host_name(&self) -> &str {
        let text = self.text.get_ref();
        split_host_port(text).map_or(text.as_str(), |(h, _)| h)
    }
    /// Where the target was written; `None` for built-in ones.
    pub fn span(&self) -> Option<Range<usize>> {
        (!self.builtin).then(|| self.text.span())
    }
    pub fn builtin(addr: &str) -> Self {
        Target {
            text: std::borrow::Cow::Owned(Str::new(0..0, addr.to_string())),
            default_port: None,
            builtin: true,
        }
    }
}
