//! What the machine offers: every adapter of every compiled-in backend, for `isf doctor`.

use serde::Serialize;

use crate::gpu::Backend;

/// One adapter as wgpu sees it.
#[derive(Debug, Clone, Serialize)]
pub struct AdapterReport {
    /// `vulkan`, `gl`, `metal` or `dx12`.
    pub backend: &'static str,
    pub name: String,
    pub driver: String,
    pub driver_info: String,
    /// `discrete`, `integrated`, `virtual`, `cpu` or `other`.
    pub device_type: &'static str,
    /// Renders on the CPU (lavapipe, llvmpipe, WARP, SwiftShader).
    pub software: bool,
    pub max_texture_size: u32,
    /// FLOAT targets can be sampled with linear filtering at 32 bits (else 16-bit floats).
    pub float32_filterable: bool,
}

/// Whether the adapter renders on the CPU (lavapipe, llvmpipe, WARP, SwiftShader).
pub(crate) fn is_software(info: &wgpu::AdapterInfo) -> bool {
    let lower = info.name.to_ascii_lowercase();
    info.device_type == wgpu::DeviceType::Cpu
        || ["llvmpipe", "lavapipe", "swiftshader", "softpipe", "warp"]
            .iter()
            .any(|s| lower.contains(s))
}

/// Lists the adapters of each backend, each backend on an instance of its own (dropped
/// before returning). `auto` picks the first native backend with an adapter (Vulkan, Metal,
/// DX12), preferring high-performance adapters, and GL only when none has one.
pub fn probe_adapters() -> Vec<AdapterReport> {
    crate::engine::prepare_process_env();
    let mut out = Vec::new();
    for backend in [Backend::Vulkan, Backend::Metal, Backend::Dx12, Backend::Gl] {
        let backends = backend.backends();
        if !wgpu::Instance::enabled_backend_features().contains(backends) {
            continue;
        }
        let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
        desc.backends = backends;
        let instance = wgpu::Instance::new(desc);
        for adapter in pollster::block_on(instance.enumerate_adapters(backends)) {
            let info = adapter.get_info();
            let device_type = match info.device_type {
                wgpu::DeviceType::DiscreteGpu => "discrete",
                wgpu::DeviceType::IntegratedGpu => "integrated",
                wgpu::DeviceType::VirtualGpu => "virtual",
                wgpu::DeviceType::Cpu => "cpu",
                wgpu::DeviceType::Other => "other",
            };
            let software = is_software(&info);
            out.push(AdapterReport {
                backend: backend.name(),
                name: info.name,
                driver: info.driver,
                driver_info: info.driver_info,
                device_type,
                software,
                max_texture_size: adapter.limits().max_texture_dimension_2d,
                float32_filterable: adapter
                    .features()
                    .contains(wgpu::Features::FLOAT32_FILTERABLE),
            });
        }
    }
    out
}
