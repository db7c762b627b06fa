//! How the monitoring host's services reach each other. In the compose stack
//! each service is its own container, so `localhost` is the caller itself and
//! the others are reached by service name (`alertmanager:9093`); in the
//! manual (systemd) setup they all share the host and are reached on
//! `localhost`. The same generated files serve both, so the spec picks one
//! way: a spec that mixes them is wrong whichever way it runs (under compose,
//! Prometheus's `localhost:9093` is its own container, and its alerts reach
//! no one).

use super::is_loopback;
use crate::diagnostics::Finding;
use crate::model::core::Ctx;
use crate::model::dashboards::GrafanaSettings;
use crate::model::deploy;
use crate::spec::{Spec, SpecCode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// `localhost`, `127.0.0.1`, `[::1]`: the manual setup.
    Loopback,
    /// A compose service name: the compose stack.
    ServiceName,
}

/// The host of `host:port` or of a URL.
fn host(address: &str) -> &str {
    let rest = address.split_once("://").map_or(address, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or(v6);
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

fn way(address: &str) -> Option<Way> {
    let h = host(address);
    if is_loopback(h) {
        Some(Way::Loopback)
    } else if deploy::SERVICES.iter().any(|(s, _)| *s == h) {
        Some(Way::ServiceName)
    } else {
        None
    }
}

/// Warns where Prometheus's Alertmanager targets and Grafana's datasources
/// (whose defaults are the compose service names) disagree on the way.
pub(crate) fn check(cx: &mut Ctx, spec: &Spec) {
    let grafana = GrafanaSettings::resolve(spec.grafana.as_ref());
    let datasources = [
        ("prometheus_url", grafana.prometheus_url.as_str()),
        ("alertmanager_url", grafana.alertmanager_url.as_str()),
    ];
    for target in &spec.alerting.alertmanagers {
        let Some(ours) = way(target.get_ref()) else {
            continue;
        };
        let Some(&(key, url)) = datasources
            .iter()
            .find(|(_, url)| way(url).is_some_and(|w| w != ours))
        else {
            continue;
        };
        let (message, help) = match ours {
            Way::Loopback => (
                format!(
                    "Prometheus sends alerts to `{}`, but Grafana's {key} is `{url}`, a compose service name: under compose, `localhost` is Prometheus's own container, so no alert reaches Alertmanager",
                    target.get_ref()
                ),
                "for the compose stack write `alertmanager:9093`; for the manual (systemd) setup keep it and set `[grafana] prometheus_url` and `alertmanager_url` to `http://localhost:...`",
            ),
            Way::ServiceName => (
                format!(
                    "Prometheus sends alerts to `{}`, a compose service name, but Grafana's {key} is `{url}`, on the host itself",
                    target.get_ref()
                ),
                "use compose service names everywhere (the defaults of `[grafana]`), or `localhost` everywhere for the manual (systemd) setup",
            ),
        };
        cx.push(
            Finding::new(SpecCode::MixedAddressing, message)
                .at(target.span())
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{host, way, Way};

    /// The `spec/mixed-addressing` messages of a spec with these sections.
    fn mixed(sections: &str) -> Vec<String> {
        crate::model::test_spec::findings(sections, "spec/mixed-addressing")
            .into_iter()
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn loopback_alertmanager_with_compose_datasources_fires() {
        let found = mixed("[alerting]\nalertmanagers = [\"localhost:9093\"]\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("no alert reaches Alertmanager"),
            "{found:?}"
        );
    }

    #[test]
    fn service_name_alertmanager_with_loopback_datasources_fires() {
        let found = mixed(
            "[alerting]\nalertmanagers = [\"alertmanager:9093\"]\n[grafana]\nprometheus_url = \"http://localhost:9090\"\nalertmanager_url = \"http://localhost:9093\"\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn one_way_throughout_is_quiet() {
        // Compose: service names everywhere (Grafana's defaults).
        assert!(mixed("[alerting]\nalertmanagers = [\"alertmanager:9093\"]\n").is_empty());
        // Manual setup: localhost everywhere.
        assert!(mixed(
            "[alerting]\nalertmanagers = [\"127.0.0.1:9093\"]\n[grafana]\nprometheus_url = \"http://localhost:9090\"\nalertmanager_url = \"http://localhost:9093\"\n",
        )
        .is_empty());
        // An Alertmanager elsewhere says nothing of the way.
        assert!(mixed("[alerting]\nalertmanagers = [\"am1.lloom.internal:9093\"]\n").is_empty());
    }

    #[test]
    fn hosts_of_addresses_and_urls() {
        assert_eq!(host("localhost:9093"), "localhost");
        assert_eq!(host("http://prometheus:9090"), "prometheus");
        assert_eq!(host("https://am.example.org/path"), "am.example.org");
        assert_eq!(host("[::1]:9093"), "::1");
        assert_eq!(way("127.0.0.1:9093"), Some(Way::Loopback));
        assert_eq!(way("alertmanager:9093"), Some(Way::ServiceName));
        assert_eq!(way("am1.lloom.internal:9093"), None);
    }
}
