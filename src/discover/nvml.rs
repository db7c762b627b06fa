//! Discovery through NVML, behind a small trait so that it is tested with
//! fakes: the build and CI machines have no GPU and no driver.

use super::inventory::{Gpu, Inventory};
use super::DiscoverError;
use nvml_wrapper::error::NvmlError;
use nvml_wrapper::Nvml;

/// What discovery asks of NVML, and no more.
pub trait GpuSource {
    /// The driver's version, e.g. `550.54.15`.
    fn driver_version(&self) -> Result<String, DiscoverError>;
    /// NVML's integer form of the CUDA version the driver supports,
    /// `major * 1000 + minor * 10` (`12040` is 12.4); `None` where not reported.
    fn cuda_driver_version(&self) -> Result<Option<i32>, DiscoverError>;
    fn device_count(&self) -> Result<u32, DiscoverError>;
    /// The device at NVML index `index` (0 to `device_count() - 1`).
    fn device(&self, index: u32) -> Result<DeviceInfo, DiscoverError>;
}

/// One device as NVML reports it, in NVML's units.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceInfo {
    pub index: u32,
    pub uuid: String,
    pub name: String,
    pub memory_total_bytes: u64,
    pub pci_bus_id: String,
    /// The enforced power limit in milliwatts; `None` where not supported.
    pub power_limit_milliwatts: Option<u32>,
}

/// The inventory of the host behind `source`, its GPUs in index order.
pub fn inventory(source: &dyn GpuSource, host: &str) -> Result<Inventory, DiscoverError> {
    let count = source.device_count()?;
    let mut gpu = (0..count)
        .map(|i| source.device(i).map(to_gpu))
        .collect::<Result<Vec<_>, _>>()?;
    gpu.sort_by_key(|g| g.index);
    Ok(Inventory {
        host: host.to_string(),
        source: "nvml".to_string(),
        driver_version: Some(source.driver_version()?),
        cuda_driver_version: source.cuda_driver_version()?.map(cuda_version),
        gpu,
    })
}

fn to_gpu(d: DeviceInfo) -> Gpu {
    Gpu {
        index: d.index,
        uuid: d.uuid,
        name: d.name,
        memory_total_bytes: d.memory_total_bytes,
        pci_bus_id: d.pci_bus_id,
        power_limit_watts: d.power_limit_milliwatts.map(|mw| f64::from(mw) / 1000.0),
    }
}

/// `12040` → `12.4`, as `nvidia-smi` shows it.
pub fn cuda_version(v: i32) -> String {
    format!(
        "{}.{}",
        nvml_wrapper::cuda_driver_version_major(v),
        nvml_wrapper::cuda_driver_version_minor(v)
    )
}

/// The environment variable that names the NVML library to load.
pub const LIB_ENV: &str = "LLOOM_MONCTL_NVML_LIB";

/// The real NVML, loaded at run time from `libnvidia-ml.so.1`.
pub struct NvmlSource {
    nvml: Nvml,
}

impl NvmlSource {
    /// Loads and initialises NVML. Any failure (the library is absent, the
    /// driver is not loaded, no permission) means no usable driver here.
    /// `LLOOM_MONCTL_NVML_LIB` names another library (a driver installed
    /// outside the loader's path), and lets the tests prove the no-driver
    /// path on a machine that has one.
    pub fn open() -> Result<NvmlSource, DiscoverError> {
        let lib = std::env::var_os(LIB_ENV);
        let mut builder = Nvml::builder();
        if let Some(lib) = &lib {
            builder.lib_path(lib);
        }
        builder
            .init()
            .map(|nvml| NvmlSource { nvml })
            .map_err(|e| match e {
                // Its Display adds only "a libloading error occurred".
                NvmlError::LibloadingError(e) => DiscoverError::NoDriver(e.to_string()),
                e => DiscoverError::NoDriver(e.to_string()),
            })
    }
}

fn query(what: impl Into<String>) -> impl FnOnce(NvmlError) -> DiscoverError {
    let what = what.into();
    move |e| DiscoverError::Query {
        what,
        message: e.to_string(),
    }
}

/// `NotSupported` is an answer ("none"), not a failure.
fn optional<T>(r: Result<T, NvmlError>) -> Result<Option<T>, NvmlError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(NvmlError::NotSupported) => Ok(None),
        Err(e) => Err(e),
    }
}

impl GpuSource for NvmlSource {
    fn driver_version(&self) -> Result<String, DiscoverError> {
        self.nvml
            .sys_driver_version()
            .map_err(query("the driver version"))
    }

    fn cuda_driver_version(&self) -> Result<Option<i32>, DiscoverError> {
        optional(self.nvml.sys_cuda_driver_version()).map_err(query("the CUDA driver version"))
    }

    fn device_count(&self) -> Result<u32, DiscoverError> {
        self.nvml
            .device_count()
            .map_err(query("the number of GPUs"))
    }

    fn device(&self, index: u32) -> Result<DeviceInfo, DiscoverError> {
        let of = |what: &str| query(format!("the {what} of GPU {index}"));
        let d = self.nvml.device_by_index(index).map_err(of("handle"))?;
        Ok(DeviceInfo {
            index: d.index().map_err(of("index"))?,
            uuid: d.uuid().map_err(of("UUID"))?,
            name: d.name().map_err(of("name"))?,
            memory_total_bytes: d.memory_info().map_err(of("memory"))?.total,
            pci_bus_id: d.pci_info().map_err(of("PCI bus id"))?.bus_id,
            power_limit_milliwatts: optional(d.enforced_power_limit())
                .map_err(of("power limit"))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fake::{self, FakeGpus};
    use super::*;

    #[test]
    fn one_h100() {
        let inv = inventory(&fake::h100(), "executor2").unwrap();
        assert_eq!(inv.host, "executor2");
        assert_eq!(inv.source, "nvml");
        assert_eq!(inv.driver_version.as_deref(), Some("550.54.15"));
        assert_eq!(inv.cuda_driver_version.as_deref(), Some("12.4"));
        let [g] = inv.gpu.as_slice() else {
            panic!("{inv:?}")
        };
        assert_eq!(g.index, 0);
        assert_eq!(g.name, "NVIDIA H100 80GB HBM3");
        assert_eq!(g.memory_total_bytes, 85_520_809_984);
        assert_eq!(g.memory_total_bytes, 81559 * 1024 * 1024);
        assert_eq!(g.power_limit_watts, Some(700.0));
        assert!(g.uuid.starts_with("GPU-"));
        assert_eq!(g.pci_bus_id, "00000000:18:00.0");
    }

    #[test]
    fn eight_h100s_in_index_order_with_distinct_ids() {
        let inv = inventory(&fake::eight_h100(), "executor1").unwrap();
        assert_eq!(inv.gpu.len(), 8);
        for (i, g) in inv.gpu.iter().enumerate() {
            assert_eq!(g.index as usize, i);
            assert_eq!(g.name, "NVIDIA H100 80GB HBM3");
        }
        let mut uuids: Vec<_> = inv.gpu.iter().map(|g| &g.uuid).collect();
        uuids.sort();
        uuids.dedup();
        assert_eq!(uuids.len(), 8);
    }

    #[test]
    fn a_mixed_host_keeps_each_gpus_own_figures() {
        let inv = inventory(&fake::mixed(), "executor3").unwrap();
        assert_eq!(inv.cuda_driver_version.as_deref(), Some("12.2"));
        let names: Vec<_> = inv.gpu.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["NVIDIA A100-SXM4-80GB", "NVIDIA GeForce RTX 4090"]);
        assert_eq!(inv.gpu[1].memory_total_bytes, 24564 * 1024 * 1024);
        assert_eq!(inv.gpu[0].power_limit_watts, Some(400.0));
        assert_eq!(inv.gpu[1].power_limit_watts, Some(450.0));
    }

    #[test]
    fn a_driver_without_gpus_is_a_valid_empty_inventory() {
        let inv = inventory(&fake::no_gpus(), "client1").unwrap();
        assert!(inv.gpu.is_empty());
        assert_eq!(inv.driver_version.as_deref(), Some("550.54.15"));
    }

    #[test]
    fn cuda_versions_read_like_nvidia_smi() {
        assert_eq!(cuda_version(12040), "12.4");
        assert_eq!(cuda_version(11080), "11.8");
        assert_eq!(cuda_version(13000), "13.0");
        assert_eq!(cuda_version(12100), "12.10");
    }

    #[test]
    fn power_limits_go_from_milliwatts_to_watts_or_none() {
        let mut src = fake::h100();
        src.devices[0].power_limit_milliwatts = Some(312_500);
        src.cuda = None;
        let inv = inventory(&src, "h").unwrap();
        assert_eq!(inv.gpu[0].power_limit_watts, Some(312.5));
        assert_eq!(inv.cuda_driver_version, None);
        src.devices[0].power_limit_milliwatts = None;
        assert_eq!(inventory(&src, "h").unwrap().gpu[0].power_limit_watts, None);
    }

    #[test]
    fn a_failed_query_is_an_error_not_a_shorter_inventory() {
        let src = FakeGpus {
            count: 2,
            ..fake::h100()
        };
        let err = inventory(&src, "h").unwrap_err();
        assert_eq!(
            err.to_string(),
            "NVML could not tell the handle of GPU 1: GPU is lost"
        );
    }

    #[test]
    fn the_fakes_describe_the_recorded_nvidia_smi_outputs() {
        let csv = |name: &str| {
            let path = format!(
                "{}/tests/fixtures/nvidia-smi/{name}",
                env!("CARGO_MANIFEST_DIR")
            );
            std::fs::read_to_string(path).unwrap()
        };
        for (file, source, host) in [
            ("h100.csv", fake::h100(), "executor2"),
            ("8xh100.csv", fake::eight_h100(), "executor1"),
            ("mixed.csv", fake::mixed(), "executor3"),
        ] {
            let nvml = inventory(&source, host).unwrap();
            let smi = super::super::smi::parse(&csv(file), host).unwrap();
            assert_eq!(smi.gpu, nvml.gpu, "{file}");
            assert_eq!(smi.driver_version, nvml.driver_version, "{file}");
        }
    }
}
