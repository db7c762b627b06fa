//! Fake NVML hosts for the tests. They describe the same hardware as the
//! recorded `nvidia-smi` outputs in `tests/fixtures/nvidia-smi/`, which a
//! test checks.

use super::nvml::{DeviceInfo, GpuSource};
use super::DiscoverError;

const MIB: u64 = 1024 * 1024;

pub struct FakeGpus {
    pub driver: &'static str,
    pub cuda: Option<i32>,
    pub devices: Vec<DeviceInfo>,
    /// What `device_count` answers; past `devices`, `device` fails.
    pub count: u32,
}

impl GpuSource for FakeGpus {
    fn driver_version(&self) -> Result<String, DiscoverError> {
        Ok(self.driver.to_string())
    }

    fn cuda_driver_version(&self) -> Result<Option<i32>, DiscoverError> {
        Ok(self.cuda)
    }

    fn device_count(&self) -> Result<u32, DiscoverError> {
        Ok(self.count)
    }

    fn device(&self, index: u32) -> Result<DeviceInfo, DiscoverError> {
        self.devices
            .get(index as usize)
            .cloned()
            .ok_or_else(|| DiscoverError::Query {
                what: format!("the handle of GPU {index}"),
                message: "GPU is lost".to_string(),
            })
    }
}

fn host(driver: &'static str, cuda: i32, devices: Vec<DeviceInfo>) -> FakeGpus {
    FakeGpus {
        driver,
        cuda: Some(cuda),
        count: devices.len() as u32,
        devices,
    }
}

fn h100_at(index: u32, uuid: &str, pci_bus_id: &str) -> DeviceInfo {
    DeviceInfo {
        index,
        uuid: uuid.to_string(),
        name: "NVIDIA H100 80GB HBM3".to_string(),
        memory_total_bytes: 81559 * MIB,
        pci_bus_id: pci_bus_id.to_string(),
        power_limit_milliwatts: Some(700_000),
    }
}

/// One H100 SXM (`executor2` in the fixtures).
pub fn h100() -> FakeGpus {
    host(
        "550.54.15",
        12040,
        vec![h100_at(
            0,
            "GPU-3f8c2a1e-9b47-4d2c-8e61-0a5b7c9d1e24",
            "00000000:18:00.0",
        )],
    )
}

/// An HGX H100 board: eight H100s at a DGX H100's bus ids (`executor1`).
pub fn eight_h100() -> FakeGpus {
    let gpus = [
        (
            "GPU-a1b2c3d4-1e2f-4a5b-9c8d-0e1f2a3b4c50",
            "00000000:18:00.0",
        ),
        (
            "GPU-b7e9d2a4-6c13-4f0e-8a2b-5d7c9e1f3a61",
            "00000000:2A:00.0",
        ),
        (
            "GPU-c4d81f0b-2a96-47e3-b5c0-8f1e3d6a9b72",
            "00000000:3A:00.0",
        ),
        (
            "GPU-d09a6e3c-7b52-4e18-a4f9-2c6b8d0e5f83",
            "00000000:5D:00.0",
        ),
        (
            "GPU-e5f2b7a8-3d41-4c9b-8e06-7a1d4f2c9e94",
            "00000000:9A:00.0",
        ),
        (
            "GPU-f1c6a9d3-8e27-4b5a-9d13-4e8f0a7b2ca5",
            "00000000:AB:00.0",
        ),
        (
            "GPU-0a7d3e5f-4c89-4d2b-a6e1-9b3c5f8d1eb6",
            "00000000:BA:00.0",
        ),
        (
            "GPU-1e4b8c2d-9f63-4a7e-b2d8-6c0a9e3f5dc7",
            "00000000:DB:00.0",
        ),
    ];
    let devices = gpus
        .iter()
        .zip(0..)
        .map(|((uuid, bus), i)| h100_at(i, uuid, bus))
        .collect();
    host("550.54.15", 12040, devices)
}

/// An A100 SXM4 and an RTX 4090 in one host (`executor3`).
pub fn mixed() -> FakeGpus {
    host(
        "535.183.01",
        12020,
        vec![
            DeviceInfo {
                index: 0,
                uuid: "GPU-5c2e9a7b-1d84-4f36-9b0a-3e7d1c5f8a29".to_string(),
                name: "NVIDIA A100-SXM4-80GB".to_string(),
                memory_total_bytes: 81920 * MIB,
                pci_bus_id: "00000000:07:00.0".to_string(),
                power_limit_milliwatts: Some(400_000),
            },
            DeviceInfo {
                index: 1,
                uuid: "GPU-8d4f1b6e-2c97-4a05-b3e8-7f9a2d6c0b13".to_string(),
                name: "NVIDIA GeForce RTX 4090".to_string(),
                memory_total_bytes: 24564 * MIB,
                pci_bus_id: "00000000:81:00.0".to_string(),
                power_limit_milliwatts: Some(450_000),
            },
        ],
    )
}

/// The driver is installed but sees no GPU (`client1`).
pub fn no_gpus() -> FakeGpus {
    host("550.54.15", 12040, Vec::new())
}

/// Every fixture with its host name.
pub fn all() -> Vec<(FakeGpus, &'static str)> {
    vec![
        (h100(), "executor2"),
        (eight_h100(), "executor1"),
        (mixed(), "executor3"),
        (no_gpus(), "client1"),
    ]
}
