//! The lifecycle: registry, pool, re-initialisation, the cleanup coordinator, deadlines.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use isfkit_render::{
    Engine, Error, LeakSource, Participant, Phase, Released, RenderOptions, ResourceKind, Scene,
};

fn multipass(engine: &Engine) -> Scene {
    engine.load(&shader("multipass_sizes.fs")).unwrap()
}

/// A test engine and the multipass shader loaded on it.
fn multipass_engine() -> (Engine, Scene) {
    let engine = test_engine();
    let scene = multipass(&engine);
    (engine, scene)
}

#[test]
fn reinitialize_10_times_rendering_after_each_matches_first_frame() {
    let (engine, scene) = multipass_engine();
    let first = scene.render(&small_opts(0.0)).unwrap();
    for i in 0..10 {
        let report = engine.reinitialize().unwrap();
        assert_eq!(report.generation, i + 2);
        let frame = scene.render(&small_opts(0.0)).unwrap();
        assert_eq!(
            max_diff(&first, &frame),
            0,
            "render after re-initialisation {i} differs"
        );
    }
    drop(scene);
    shutdown_clean(&engine);
}

#[test]
fn cleanup_then_reinitialize_then_render_20_times() {
    let (engine, scene) = multipass_engine();
    let first = scene.render(&small_opts(0.0)).unwrap();
    for i in 0..20 {
        engine.cleanup();
        engine.reinitialize().unwrap();
        let frame = scene.render(&small_opts(0.0)).unwrap();
        assert_eq!(max_diff(&first, &frame), 0, "iteration {i} differs");
    }
    drop(scene);
    shutdown_clean(&engine);
}

#[test]
fn registry_counts_resources_by_kind_and_cleanup_frees_idle_ones() {
    let (engine, scene) = multipass_engine();
    scene.render(&small_opts(0.0)).unwrap();
    let summary = engine.resources();
    for kind in [
        ResourceKind::Texture,
        ResourceKind::Buffer,
        ResourceKind::RenderPipeline,
        ResourceKind::ShaderModule,
    ] {
        assert!(
            summary.by_kind.get(&kind).is_some_and(|k| k.count > 0),
            "no live {kind} after a render"
        );
    }
    // Bind groups are kept by the scene for reuse.
    assert!(summary.by_kind.contains_key(&ResourceKind::BindGroup));
    scene.render(&small_opts(0.1)).unwrap();
    let stats = engine.pool_stats();
    assert!(
        stats.hits > 0,
        "second frame should reuse pooled textures: {stats:?}"
    );
    let idle = stats.idle;
    let freed = engine.cleanup();
    assert_eq!(freed.count, idle);
    assert_eq!(engine.pool_stats().idle, 0);
    assert_eq!(
        engine.resources().total_count(),
        summary.total_count() - idle
    );
    drop(scene);
    shutdown_clean(&engine);
}

/// A scene reuses its bind groups across frames instead of creating one per pass
/// per frame; the count reaches a steady state and the frames are unchanged.
#[test]
fn bind_groups_are_reused_across_frames() {
    let (engine, scene) = multipass_engine();
    let bind_groups = || {
        engine
            .resources()
            .by_kind
            .get(&ResourceKind::BindGroup)
            .map_or(0, |k| k.count)
    };
    for i in 0..6 {
        scene.render(&small_opts(i as f64 / 10.0)).unwrap();
    }
    let steady = bind_groups();
    assert!(steady > 0);
    let mut cached = Vec::new();
    for i in 6..18 {
        cached.push(scene.render(&small_opts(i as f64 / 10.0)).unwrap());
    }
    assert_eq!(bind_groups(), steady, "bind groups kept growing");
    // The same frames without the cache.
    let fresh = multipass(&engine);
    engine.set_bind_group_cache(false);
    for i in 0..18 {
        let f = fresh.render(&small_opts(i as f64 / 10.0)).unwrap();
        if i >= 6 {
            assert_eq!(
                max_diff(&f, &cached[i - 6]),
                0,
                "frame {i} differs with the cache"
            );
        }
    }
    drop((scene, fresh));
    shutdown_clean(&engine);
}

#[test]
fn shutdown_after_render_and_cleanup_reports_no_leaks() {
    let (engine, scene) = multipass_engine();
    scene.render(&small_opts(0.0)).unwrap();
    engine.cleanup();
    let report = engine.shutdown();
    assert!(report.ok(), "{report}");
    assert!(report.leaks.is_empty());
    assert_eq!(engine.resources().total_count(), 0);
    let phases: Vec<Phase> = report.phases.iter().map(|p| p.phase).collect();
    assert_eq!(phases, Phase::ALL.to_vec());
    assert!(
        report.phases[2].released_count > 0,
        "phase 3 released nothing:\n{report}"
    );
    assert!(report
        .to_string()
        .contains("leaks: none (registry empty, wgpu report clean)"));
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["phases"].as_array().unwrap().len(), 6);
    // The scene outlived the engine's shutdown: using it is an error, not a crash.
    assert!(!scene.is_alive());
    assert!(matches!(
        scene.render(&small_opts(0.0)),
        Err(Error::ShutDown)
    ));
    assert!(matches!(
        scene.set("cells", isfkit_render::Value::Float(4.0)),
        Err(Error::ShutDown)
    ));
}

#[test]
fn deliberately_leaked_texture_is_reported_by_label_in_registry_and_wgpu_report() {
    let engine = test_engine();
    engine.debug_leak_texture("deliberately leaked").unwrap();
    let report = engine.shutdown();
    assert!(!report.ok());
    let reg = report
        .leaks
        .iter()
        .find(|l| l.source == LeakSource::Registry)
        .expect("registry leak");
    assert_eq!(reg.label, "deliberately leaked");
    assert_eq!(reg.kind, "texture");
    assert!(reg.created_at.as_deref().unwrap().contains("engine.rs"));
    assert!(report
        .leaks
        .iter()
        .any(|l| l.source == LeakSource::Wgpu && l.kind == "texture"));
    assert!(report
        .to_string()
        .contains("[registry] texture \"deliberately leaked\""));
}

#[test]
fn handle_held_past_force_cleanup_and_shutdown_reports_released() {
    let (engine, scene) = multipass_engine();
    let held = engine.render_to_texture(&scene, &small_opts(0.0)).unwrap();
    assert_eq!(held.size().unwrap(), (48, 32));
    let freed = engine.force_cleanup();
    assert!(freed.count > 0);
    assert!(held.is_released());
    match held.size() {
        Err(e @ Error::Released { .. }) => {
            assert!(e.to_string().contains(
                "(by force_cleanup(), a re-initialisation or shutdown) and can no longer be used"
            ))
        }
        other => panic!("expected Released, got {other:?}"),
    }
    // The scene still renders after force_cleanup.
    scene.render(&small_opts(0.0)).unwrap();
    let held2 = engine.render_to_texture(&scene, &small_opts(0.0)).unwrap();
    let report = engine.shutdown();
    assert!(
        report.ok(),
        "a handle held past shutdown is released, not leaked:\n{report}"
    );
    assert!(held2.is_released());
}

#[test]
fn persistent_buffer_survives_reinitialize_5_plus_5_equals_10() {
    for name in ["persistent.fs", "persistent_v1.fs"] {
        let engine = test_engine();
        let a = engine.load(&shader(name)).unwrap();
        render_frames(&a, 0..5);
        let report = engine.reinitialize().unwrap();
        assert_eq!(report.persistent_saved, 1, "{name}");
        let after = render_frames(&a, 5..10);

        let b = engine.load(&shader(name)).unwrap();
        let straight = render_frames(&b, 0..10);
        assert_eq!(
            max_diff(&after, &straight),
            0,
            "{name}: 5 + reinit + 5 frames differ from 10 frames"
        );
        drop((a, b));
        shutdown_clean(&engine);
    }
}

/// Records the order participants run in; `fail` makes it report an error.
struct Recorder {
    name: String,
    phase: Phase,
    fail: bool,
    log: Arc<Mutex<Vec<Phase>>>,
}

impl Participant for Recorder {
    fn name(&self) -> &str {
        &self.name
    }
    fn phase(&self) -> Phase {
        self.phase
    }
    fn release(&mut self) -> Result<Released, isfkit_render::ReleaseError> {
        self.log.lock().unwrap().push(self.phase);
        if self.fail {
            Err("window server went away; nothing to close".into())
        } else {
            Ok(Released {
                count: 1,
                bytes: 10,
            })
        }
    }
}

#[test]
fn phases_run_in_order_a_failing_participant_is_reported_and_later_phases_still_run() {
    let engine = test_engine();
    let log = Arc::new(Mutex::new(Vec::new()));
    // Registered out of order on purpose.
    for (phase, fail) in [
        (Phase::ReleaseSystem, false),
        (Phase::CloseSurfaces, true),
        (Phase::StopWorkers, false),
        (Phase::ReleaseUi, false),
        (Phase::ReleaseGpu, false),
    ] {
        engine
            .register_participant(Box::new(Recorder {
                name: format!("stand-in {}", phase.name()),
                phase,
                fail,
                log: log.clone(),
            }))
            .unwrap();
    }
    let report = engine.shutdown();
    assert_eq!(
        *log.lock().unwrap(),
        vec![
            Phase::StopWorkers,
            Phase::CloseSurfaces,
            Phase::ReleaseGpu,
            Phase::ReleaseUi,
            Phase::ReleaseSystem
        ]
    );
    assert_eq!(
        report.phases[1].errors,
        vec![
            "stand-in close windows and surfaces: window server went away; nothing to close"
                .to_string()
        ]
    );
    assert!(!report.ok());
    assert!(report.leaks.is_empty());
    assert_eq!(report.phases[4].released_count, 1);
    // Idempotent: the second call returns the first report and runs nothing.
    let again = engine.shutdown();
    assert_eq!(again, report);
    assert_eq!(log.lock().unwrap().len(), 5);
    assert!(matches!(engine.reinitialize(), Err(Error::ShutDown)));
    assert!(matches!(
        engine.load(&shader("gradient.fs")),
        Err(Error::ShutDown)
    ));
}

#[test]
fn drop_without_shutdown_cleans_up() {
    let (engine, scene) = multipass_engine();
    scene.render(&small_opts(0.0)).unwrap();
    drop(engine);
    // The engine's drop ran the coordinator: the scene now reports the shutdown.
    assert!(matches!(
        scene.render(&small_opts(0.0)),
        Err(Error::ShutDown)
    ));
}

#[test]
fn randomised_sequence_of_lifecycle_operations_never_panics_or_leaks() {
    for seed in 1..=3u64 {
        let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let engine = test_engine();
        let shaders = [
            "gradient.fs",
            "multipass_sizes.fs",
            "persistent.fs",
            "imported.fs",
        ];
        let mut scenes: Vec<Scene> = Vec::new();
        let mut shut_down = false;
        for step in 0..60 {
            let op = next() % 8;
            let result: Result<(), Error> = match op {
                0 | 1 => engine
                    .load(&shader(shaders[(next() % 4) as usize]))
                    .map(|s| scenes.push(s)),
                2 | 3 if !scenes.is_empty() => {
                    let i = (next() as usize) % scenes.len();
                    scenes[i]
                        .render(&small_opts(step as f64 / 10.0))
                        .map(|_| ())
                }
                4 => {
                    engine.cleanup();
                    Ok(())
                }
                5 => {
                    engine.force_cleanup();
                    Ok(())
                }
                6 => engine.reinitialize().map(|_| ()),
                7 if !scenes.is_empty() => {
                    let i = (next() as usize) % scenes.len();
                    scenes.swap_remove(i);
                    Ok(())
                }
                _ => {
                    if next() % 10 == 0 {
                        let report = engine.shutdown();
                        assert!(report.leaks.is_empty(), "seed {seed} step {step}: {report}");
                        shut_down = true;
                    }
                    Ok(())
                }
            };
            match result {
                Ok(()) => {}
                Err(Error::ShutDown) if shut_down => {}
                Err(e) => panic!("seed {seed} step {step} op {op}: {e}"),
            }
        }
        drop(scenes);
        let report = engine.shutdown();
        assert!(report.leaks.is_empty(), "seed {seed}: {report}");
        assert_eq!(engine.resources().total_count(), 0);
    }
}

const SLOW_SHADER: &str = r#"/*{ "ISFVSN": "2" }*/
void main() {
    float acc = 0.0;
    for (int i = 0; i < 3000; i++) {
        acc += sin(float(i) * 0.001 + isf_FragNormCoord.x) * cos(acc + isf_FragNormCoord.y);
    }
    gl_FragColor = vec4(fract(acc), 0.0, 0.0, 1.0);
}
"#;

#[test]
fn render_past_deadline_times_out_and_next_render_gets_a_fresh_device() {
    let engine = test_engine();
    let slow = engine.load_source(SLOW_SHADER, None).unwrap();
    let quick = engine.load(&shader("gradient.fs")).unwrap();
    let reference = quick.render(&small_opts(0.0)).unwrap();
    engine.set_deadline(Duration::from_millis(1));
    // Small enough that the abandoned work ends within a second: on lavapipe a device's
    // work holds the rasterizer every device of the process shares, so the next render
    // waits for it (within its own deadline).
    match slow.render(&RenderOptions::new(256, 256, 0.0)) {
        Err(e @ Error::Timeout(_)) => assert_eq!(
            e.to_string(),
            "the GPU did not finish within 1ms; the device was marked tainted and will be replaced"
        ),
        Ok(_) => panic!("a 256x256 render of 3000 iterations per pixel finished within 1 ms"),
        Err(e) => panic!("expected a timeout, got {e}"),
    }
    let generation = engine.generation();
    engine.set_deadline(Duration::from_secs(10));
    let frame = quick.render(&small_opts(0.0)).unwrap();
    assert_eq!(
        engine.generation(),
        generation + 1,
        "the tainted device was not replaced"
    );
    assert_eq!(max_diff(&reference, &frame), 0);
    drop((slow, quick));
    let report = engine.shutdown();
    assert!(report.leaks.is_empty(), "{report}");
    // The tainted device was given up on (not waited for) and is reported.
    assert_eq!(report.abandoned.len(), 1, "{report}");
    assert_eq!(report.abandoned[0].generation, generation);
    assert_eq!(
        report.abandoned[0].reason,
        "tainted: a frame did not finish within its deadline of 1ms"
    );
}

fn rss_kib() -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Memory stays flat while TIME and FRAMEINDEX change every frame (the bundled plasma
/// example): the ISF values live in a storage buffer, so lavapipe does not compile and keep
/// a shader variant per frame, as it would for values in a uniform buffer (~650 KB each).
#[test]
fn memory_stays_flat_when_uniform_values_change_every_frame() {
    let engine = test_engine();
    let scene = engine
        .load(&repo_root().join("examples/plasma.fs"))
        .unwrap();
    let render = |i: u32| {
        scene
            .render(&RenderOptions::new(160, 90, i as f64 / 30.0))
            .unwrap()
    };
    for i in 0..40 {
        render(i);
    }
    let Some(warm) = rss_kib() else {
        eprintln!("no /proc/self/status here; skipping the memory check");
        return;
    };
    for i in 40..200 {
        render(i);
    }
    let end = rss_kib().unwrap();
    // A shader variant per frame would add about 100 MB over these 160 frames.
    assert!(
        end < warm + 20 * 1024,
        "RSS grew from {warm} KiB to {end} KiB over 160 frames"
    );
    drop(scene);
    shutdown_clean(&engine);
}
