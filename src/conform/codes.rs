//! Every conform code, its severity and what it means: the table in
//! docs/conform.md is generated from this list.

use crate::diagnostics::code_table;

code_table! {
    /// The codes of findings about a `/metrics` page.
    pub enum ConformCode {
        ContentType("conform/content-type", Error, "an `http://` page served without a `Content-Type` or with one Prometheus 3 does not read (`text/plain`, `application/openmetrics-text`): Prometheus 3 fails the scrape"),
        BadExposition("conform/bad-exposition", Error, "a line that is not valid exposition text (parsing goes on)"),
        TooLarge("conform/too-large", Warning, "a page past what conform keeps of it (a line over 64 KiB, more than 256 label names in a family, 1,000 values of a label, 16 MiB of names and values, 1,000 bad lines): read to its end, but the checks past that point are incomplete"),
        NoRole("conform/no-role", Error, "no catalog metric shows what the node is: pass `--role`"),
        MissingMetric("conform/missing-metric", Error, "a catalog metric of the node's role that it does not expose"),
        RenamedMetric("conform/renamed-metric", Error, "a missing catalog metric with a close exposed name: reported once, at the new name"),
        WrongType("conform/wrong-type", Error, "a `# TYPE` other than the catalog's"),
        Untyped("conform/untyped", Warning, "a catalog metric exposed without a `# TYPE`"),
        MissingLabel("conform/missing-label", Error, "a catalog label missing from some or all of the metric's samples"),
        ExtraLabel("conform/extra-label", Warning, "a label the catalog does not list (`job`/`instance` on the page become `exported_job`/`exported_instance`)"),
        UnknownLabelValue("conform/unknown-label-value", Warning, "a value outside the catalog's known values"),
        NotInitialised("conform/not-initialised", Warning, "a counter with no series for one of its known values: `increase()` cannot see the first increment of a series born at 1"),
        UnknownMetric("conform/unknown-metric", Warning, "a `lloom_` metric outside the catalog: add it with `[[metric]]`"),
        Naming("conform/naming", Warning, "a `lloom_` metric breaking Prometheus' naming conventions: `_total` on counters only, base units, lower case, `_count`/`_sum`/`_bucket` outside histograms, HELP lines"),
    }
}
