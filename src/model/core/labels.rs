//! Label sets as Prometheus prints them.

/// Label names to values, sorted.
pub type LabelMap = std::collections::BTreeMap<String, String>;
