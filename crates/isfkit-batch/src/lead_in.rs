//! Which frames a stateful shader renders before the ones asked for. Persistent buffers,
//! FRAMEINDEX and TIMEDELTA depend on the frames before, so frame `n` at time `t` looks as in
//! a full run only when every frame before it was rendered first. `isf batch` (a range or a
//! resumed run), `isf render` and the service's workers all plan their frames here.

use serde::{Deserialize, Serialize};

/// One frame to render: its time, and which requested frame it is (`None`: a stateful
/// shader's lead-in frame, rendered and not returned).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FramePlan {
    pub time: f64,
    pub index: Option<usize>,
}

/// The frames to render for `times`, in render order. A stateless shader renders each
/// requested time once, in the order asked. A stateful one renders as `isf batch` does for a
/// range: frame n at `n / fps` from frame 0, unwritten, up to each requested time (frames
/// strictly before it), then the requested time itself; requested times are visited in
/// increasing order (FRAMEINDEX and persistent buffers move forward only).
pub fn plan_frames(times: &[f64], stateful: bool, fps: f64) -> Vec<FramePlan> {
    if !stateful {
        return times
            .iter()
            .enumerate()
            .map(|(i, &t)| FramePlan {
                time: t,
                index: Some(i),
            })
            .collect();
    }
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by(|&a, &b| times[a].total_cmp(&times[b]));
    let mut plan = Vec::new();
    let mut next: u64 = 0;
    for i in order {
        let t = times[i];
        // Frames n with n / fps < t, not yet rendered.
        let before = if t > 0.0 {
            let n = (t * fps - 1e-9).ceil();
            n.max(0.0) as u64
        } else {
            0
        };
        while next < before {
            plan.push(FramePlan {
                time: next as f64 / fps,
                index: None,
            });
            next += 1;
        }
        plan.push(FramePlan {
            time: t,
            index: Some(i),
        });
        // The requested time takes the place of the frame at its time, if on the grid.
        if (t * fps - next as f64).abs() < 1e-9 {
            next += 1;
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indices(p: &[FramePlan]) -> Vec<(f64, Option<usize>)> {
        p.iter().map(|f| (f.time, f.index)).collect()
    }

    #[test]
    fn stateless_times_render_once_in_the_order_asked() {
        let p = plan_frames(&[1.0, 0.5], false, 30.0);
        assert_eq!(indices(&p), vec![(1.0, Some(0)), (0.5, Some(1))]);
    }

    #[test]
    fn stateful_times_render_their_lead_in_like_batch() {
        // At 10 fps, 0.3 s is frame 3: frames 0, 1, 2 come first, unwritten.
        let p = plan_frames(&[0.3, 0.1], true, 10.0);
        assert_eq!(
            indices(&p),
            vec![(0.0, None), (0.1, Some(1)), (0.2, None), (0.3, Some(0))]
        );
        // Off the grid: frames before 0.25 (0, 0.1, 0.2), then 0.25.
        let p = plan_frames(&[0.25], true, 10.0);
        assert_eq!(
            indices(&p),
            vec![(0.0, None), (0.1, None), (0.2, None), (0.25, Some(0))]
        );
        assert_eq!(
            indices(&plan_frames(&[0.0], true, 30.0)),
            vec![(0.0, Some(0))]
        );
    }
}
