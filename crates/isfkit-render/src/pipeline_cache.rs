//! The pipeline cache on disk: what the driver compiled for the engine's pipelines, kept
//! between runs where the adapter offers a cache (wgpu's `PipelineCache`, Vulkan only).
//!
//! One file per adapter (wgpu's cache key: backend, vendor and device), in the user's cache
//! folder (`$XDG_CACHE_HOME/isfkit/pipelines`, else `~/.cache/isfkit/pipelines`), or the
//! folder `ISFKIT_PIPELINE_CACHE` names; `ISFKIT_PIPELINE_CACHE=off` turns it off, as does
//! [`crate::EngineConfig::pipeline_cache`] set to `None`. The device loads the file when it
//! is created and writes it back (a temporary file renamed over it) when it is released at
//! shutdown or replaced by a re-initialisation, if the driver's data changed.
//!
//! The file frames wgpu's data with the adapter and driver it was made on and a CRC-32 of
//! both: a file that is damaged, cut short or made by another adapter or driver is ignored
//! with a warning (the device starts with an empty cache and writes a good file at the
//! end), so no byte of it reaches the driver. wgpu checks its own header again; a cache it
//! refuses all the same is replaced by an empty one, with a warning. The CRC finds
//! accidents, not intent: the folder is trusted as the user's own, as any cache folder is
//! (point `ISFKIT_PIPELINE_CACHE` at no folder others can write). A relative folder is
//! taken from the working directory when the engine starts.
//!
//! What it gives depends on the driver: lavapipe offers the cache but keeps nothing in it
//! (its data is wgpu's and Vulkan's headers, 96 bytes) because it compiles at the first draw;
//! there Mesa's own shader cache is what makes second runs fast. Drivers that compile when
//! the pipeline is created keep the compiled code in it.

use std::path::{Path, PathBuf};

/// Marks the file as isfkit's frame around a wgpu pipeline cache, version 1.
const MAGIC: &[u8; 8] = b"ISFKPLC1";

/// The most driver data the file keeps: a larger cache is not written (with a warning).
const MAX_BYTES: usize = 256 << 20;

/// The environment variable that names the cache's folder, or turns the cache off (`off`).
pub const PIPELINE_CACHE_ENV: &str = "ISFKIT_PIPELINE_CACHE";

/// The folder the pipeline cache lives in by default: the one `ISFKIT_PIPELINE_CACHE` names
/// (`None` when it says `off`, `0`, `false` or `no`), else `isfkit/pipelines` in the user's
/// cache folder; `None` when there is no such folder (no `HOME`).
pub fn default_pipeline_cache_dir() -> Option<PathBuf> {
    if let Some(v) = std::env::var_os(PIPELINE_CACHE_ENV) {
        let s = v.to_string_lossy();
        if matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "off" | "0" | "false" | "no"
        ) {
            return None;
        }
        if !s.trim().is_empty() {
            return Some(PathBuf::from(v));
        }
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("isfkit").join("pipelines"))
}

/// What became of the pipeline cache when the device was created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineCacheState {
    /// The cache's file, when the cache is on and the adapter offers one.
    pub path: Option<PathBuf>,
    /// Bytes of driver data loaded from the file (0: none, or no file yet).
    pub loaded_bytes: usize,
    /// Why the file was not used: the warning printed when it was ignored.
    pub ignored: Option<String>,
}

impl PipelineCacheState {
    pub(crate) fn off() -> PipelineCacheState {
        PipelineCacheState {
            path: None,
            loaded_bytes: 0,
            ignored: None,
        }
    }
}

/// A device's pipeline cache and the file it is kept in.
pub(crate) struct DiskCache {
    pub cache: wgpu::PipelineCache,
    path: PathBuf,
    identity: String,
    /// The length and CRC-32 of the driver data as loaded: an unchanged cache is not written
    /// again.
    loaded: (usize, u32),
}

/// The adapter and driver a cache belongs to, as written in its file.
fn identity(info: &wgpu::AdapterInfo) -> String {
    format!(
        "{:?} {:04x}:{:04x} {} | {} {}",
        info.backend, info.vendor, info.device, info.name, info.driver, info.driver_info
    )
}

/// `data` framed: magic, the identity's and the data's lengths, the identity, the data, and
/// the CRC-32 of everything before it.
fn frame(identity: &str, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(MAGIC.len() + 16 + identity.len() + data.len() + 4);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(identity.len() as u32).to_le_bytes());
    out.extend_from_slice(&(data.len() as u64).to_le_bytes());
    out.extend_from_slice(identity.as_bytes());
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// The driver data in a file's `bytes`, if the frame is whole and made for `identity`;
/// otherwise why not.
fn unframe<'a>(bytes: &'a [u8], identity: &str) -> Result<&'a [u8], String> {
    let damaged = |what: &str| format!("the file is damaged ({what})");
    if bytes.len() < MAGIC.len() + 16 || &bytes[..MAGIC.len()] != MAGIC {
        return Err("it is not an isfkit pipeline cache".into());
    }
    let (body, crc) = bytes.split_at(bytes.len() - 4);
    let crc = u32::from_le_bytes(crc.try_into().expect("4 bytes"));
    if crc32fast::hash(body) != crc {
        return Err(damaged("its checksum does not match"));
    }
    let n = MAGIC.len();
    let id_len = u32::from_le_bytes(body[n..n + 4].try_into().expect("4 bytes")) as usize;
    let data_len = u64::from_le_bytes(body[n + 4..n + 12].try_into().expect("8 bytes"));
    let rest = &body[n + 12..];
    if Some(rest.len()) != id_len.checked_add(data_len as usize) {
        return Err(damaged("its lengths do not add up"));
    }
    let (id, data) = rest.split_at(id_len);
    if id != identity.as_bytes() {
        return Err(format!(
            "it was made for another adapter or driver ({})",
            String::from_utf8_lossy(id)
        ));
    }
    Ok(data)
}

/// Opens the cache of `device` (made from `adapter`) in `dir`: the file's data when it is
/// good for this adapter and driver, an empty cache otherwise (with the warning in the
/// state). `None` when the adapter offers no cache.
pub(crate) fn open(
    dir: &Path,
    adapter: &wgpu::Adapter,
    device: &wgpu::Device,
) -> (Option<DiskCache>, PipelineCacheState) {
    let info = adapter.get_info();
    let key = wgpu::util::pipeline_cache_key(&info);
    let (Some(key), true) = (
        key,
        device.features().contains(wgpu::Features::PIPELINE_CACHE),
    ) else {
        return (None, PipelineCacheState::off());
    };
    let path = dir.join(format!("{key}.bin"));
    let identity = identity(&info);
    let mut ignored = None;
    // The file is not used: the warning is logged and kept in the state.
    let mut ignore = |why: String| {
        let warning = format!("pipeline cache {}: {why}", path.display());
        tracing::warn!("{warning}");
        ignored = Some(warning);
        Vec::new()
    };
    let mut loaded = match std::fs::read(&path) {
        Ok(bytes) => match unframe(&bytes, &identity) {
            Ok(data) => data.to_vec(),
            Err(why) => ignore(format!("{why}; ignored (it is written again at exit)")),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => ignore(format!("cannot read it: {e}; ignored")),
    };
    let cache = match crate::gpu::capture_on(device, || Ok(create(device, &loaded))) {
        Ok(cache) => cache,
        Err(e) => {
            loaded = ignore(format!(
                "the driver refused it ({e}); ignored (it is written again at exit)"
            ));
            create(device, &[])
        }
    };
    tracing::debug!(path = %path.display(), bytes = loaded.len(), "pipeline cache loaded");
    let state = PipelineCacheState {
        path: Some(path.clone()),
        loaded_bytes: loaded.len(),
        ignored,
    };
    let disk = DiskCache {
        cache,
        path,
        identity,
        loaded: (loaded.len(), crc32fast::hash(&loaded)),
    };
    (Some(disk), state)
}

#[allow(unsafe_code)]
fn create(device: &wgpu::Device, data: &[u8]) -> wgpu::PipelineCache {
    // SAFETY: `data` is empty, or what `PipelineCache::get_data` gave on a device of this
    // same adapter and driver, as far as a file in the user's own cache folder can say:
    // `unframe` checked its CRC-32 and the identity it was written with. wgpu checks its
    // own header (backend, adapter, driver, size) again: an outdated or cut header gives an
    // empty cache (`fallback`), a foreign one an error, which the caller turns into an
    // empty cache.
    unsafe {
        device.create_pipeline_cache(&wgpu::PipelineCacheDescriptor {
            label: Some("isfkit pipeline cache"),
            data: (!data.is_empty()).then_some(data),
            fallback: true,
        })
    }
}

impl DiskCache {
    /// Writes the driver's data to the file when it changed since it was loaded (a
    /// temporary file in the same folder, renamed over it). A failure is a warning: the
    /// cache only saves time.
    pub(crate) fn save(&self) {
        let Some(data) = self.cache.get_data() else {
            return;
        };
        if (data.len(), crc32fast::hash(&data)) == self.loaded {
            return;
        }
        if data.len() > MAX_BYTES {
            tracing::warn!(
                "pipeline cache {}: not written: {} MiB is more than the {} MiB it keeps",
                self.path.display(),
                data.len() >> 20,
                MAX_BYTES >> 20
            );
            return;
        }
        if let Err(e) = self.write(&data) {
            tracing::warn!(
                "pipeline cache {}: cannot write it: {e}",
                self.path.display()
            );
        } else {
            tracing::debug!(path = %self.path.display(), bytes = data.len(), "pipeline cache written");
        }
    }

    fn write(&self, data: &[u8]) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.{}.", std::process::id()))
            .suffix(".tmp")
            .tempfile_in(dir)?;
        std::io::Write::write_all(&mut tmp, &frame(&self.identity, data))?;
        tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_gives_its_data_back_only_whole_and_for_its_identity() {
        let f = frame("Vulkan 10de:2330 H100 | NVIDIA 580", b"driver bytes");
        assert_eq!(
            unframe(&f, "Vulkan 10de:2330 H100 | NVIDIA 580").unwrap(),
            b"driver bytes"
        );
        assert_eq!(
            unframe(&f, "Vulkan 10de:2330 H100 | NVIDIA 575").unwrap_err(),
            "it was made for another adapter or driver (Vulkan 10de:2330 H100 | NVIDIA 580)"
        );
        let mut bad = f.clone();
        bad[30] ^= 1;
        assert_eq!(
            unframe(&bad, "Vulkan 10de:2330 H100 | NVIDIA 580").unwrap_err(),
            "the file is damaged (its checksum does not match)"
        );
        assert_eq!(
            unframe(&f[..f.len() - 1], "x").unwrap_err(),
            "the file is damaged (its checksum does not match)"
        );
        assert_eq!(
            unframe(b"WGPUPLCH and more bytes", "x").unwrap_err(),
            "it is not an isfkit pipeline cache"
        );
    }
}
