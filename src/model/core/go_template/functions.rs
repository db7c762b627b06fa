//! The functions a template may call, by who runs it. Go's `text/template`
//! refuses a call to a name outside its function map while parsing, so an
//! unknown name stops Prometheus from loading the rule group, and stops an
//! Alertmanager notification from being sent.

/// Go's built-in template functions.
const GO: &[&str] = &[
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf",
    "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
];

/// Prometheus's additions (`template/template.go`), the same from 2.42 to 3.5.
const PROMETHEUS: &[&str] = &[
    "query",
    "first",
    "label",
    "value",
    "strvalue",
    "args",
    "reReplaceAll",
    "safeHtml",
    "match",
    "title",
    "toUpper",
    "toLower",
    "graphLink",
    "tableLink",
    "sortByLabel",
    "humanize",
    "humanize1024",
    "humanizeDuration",
    "humanizePercentage",
    "humanizeTimestamp",
    "toTime",
    "pathPrefix",
    "externalURL",
    "parseDuration",
    "stripPort",
    "stripDomain",
];

/// Alertmanager's additions (`template.DefaultFuncs`) at the pinned 0.28.1.
const ALERTMANAGER: &[&str] = &[
    "toUpper",
    "toLower",
    "title",
    "trimSpace",
    "join",
    "match",
    "safeHtml",
    "reReplaceAll",
    "stringSlice",
    "date",
    "tz",
    "since",
    "humanizeDuration",
];

/// Who runs a template, and so which functions it may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runner {
    /// Alerting-rule annotations and labels.
    Prometheus,
    /// Notification fields (Slack title, PagerDuty description, ...).
    Alertmanager,
}

impl Runner {
    /// Every function name the runner defines.
    pub fn functions(self) -> impl Iterator<Item = &'static str> + Clone {
        let extra = match self {
            Runner::Prometheus => PROMETHEUS,
            Runner::Alertmanager => ALERTMANAGER,
        };
        GO.iter().chain(extra).copied()
    }

    /// Whether `name` is one of [`Runner::functions`].
    pub fn defines(self, name: &str) -> bool {
        self.functions().any(|f| f == name)
    }

    /// The variables declared in front of each template.
    pub fn variables(self) -> &'static [&'static str] {
        match self {
            Runner::Prometheus => super::PROMETHEUS_VARS,
            Runner::Alertmanager => &[],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Runner::Prometheus => "Prometheus",
            Runner::Alertmanager => "Alertmanager",
        }
    }
}
