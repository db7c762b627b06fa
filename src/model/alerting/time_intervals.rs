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
