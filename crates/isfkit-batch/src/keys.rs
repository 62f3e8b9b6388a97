//! Keyframed inputs: an input's value at given times, moving linearly between keys (numbers,
//! points, colours) or in steps (bools, longs), held before the first key and after the last.
//! Written `--set progress@0=0 --set progress@2=1` on the command line and
//! `inputs: { progress: { keys: [[0, 0.0], [2, 1.0]] } }` in a job file.

use isfkit_render::format::InputType;
use isfkit_render::{Error, Value};

/// The keys of one input, by time.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyframes {
    keys: Vec<(f64, Value)>,
}

impl Keyframes {
    /// Keys of input `name` (of type `ty`) from `(time, value text)` pairs, in any order; each
    /// value is read as `--set` reads it. At least one key; times finite.
    pub fn new(name: &str, ty: &InputType, keys: &[(f64, String)]) -> Result<Keyframes, Error> {
        let what = || format!("input \"{name}\"");
        if keys.is_empty() {
            return Err(Error::Value {
                what: what(),
                reason: "keys: give at least one [time, value]".into(),
            });
        }
        let mut parsed = keys
            .iter()
            .map(|(t, text)| {
                if !t.is_finite() {
                    return Err(Error::Value {
                        what: what(),
                        reason: format!("key time {t} is not a finite number of seconds"),
                    });
                }
                Ok((*t, Value::parse_for(name, ty, text)?))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        parsed.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(Keyframes { keys: parsed })
    }

    /// The value at time `t`.
    pub fn value_at(&self, t: f64) -> Value {
        let after = self.keys.partition_point(|(k, _)| *k <= t);
        match (
            after.checked_sub(1).map(|i| &self.keys[i]),
            self.keys.get(after),
        ) {
            (None, Some((_, first))) => *first,
            (Some((_, last)), None) => *last,
            (Some((t0, a)), Some((t1, b))) => a.lerp(b, ((t - t0) / (t1 - t0)) as f32),
            (None, None) => unreachable!("keyframes hold at least one key"),
        }
    }
}

/// `NAME@TIME` of a keyed `--set NAME@TIME=VALUE`: the name and the time, or `None` for a
/// plain name.
pub fn split_key(name: &str) -> Option<Result<(&str, f64), String>> {
    let (input, time) = name.split_once('@')?;
    Some(
        time.trim()
            .parse::<f64>()
            .ok()
            .filter(|t| t.is_finite())
            .map(|t| (input, t))
            .ok_or_else(|| {
                format!(
                    "\"{name}\": the time after @ must be a number of seconds (NAME@TIME=VALUE)"
                )
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float() -> InputType {
        InputType::Float {
            default: 0.0,
            min: 0.0,
            max: 1.0,
            identity: None,
        }
    }

    #[test]
    fn values_move_between_keys_and_hold_outside() {
        let k = Keyframes::new(
            "progress",
            &float(),
            &[(2.0, "1".into()), (0.0, "0".into())],
        )
        .unwrap();
        assert_eq!(k.value_at(-1.0), Value::Float(0.0));
        assert_eq!(k.value_at(0.0), Value::Float(0.0));
        assert_eq!(k.value_at(0.5), Value::Float(0.25));
        assert_eq!(k.value_at(2.0), Value::Float(1.0));
        assert_eq!(k.value_at(9.0), Value::Float(1.0));
        let color = InputType::Color {
            default: [0.0; 4],
            min: None,
            max: None,
            identity: None,
        };
        let c = Keyframes::new(
            "tint",
            &color,
            &[(0.0, "0,0,0,1".into()), (1.0, "1,0.5,0,1".into())],
        )
        .unwrap();
        assert_eq!(c.value_at(0.5), Value::Color([0.5, 0.25, 0.0, 1.0]));
        let b = Keyframes::new(
            "on",
            &InputType::Bool {
                default: false,
                identity: None,
            },
            &[(0.0, "false".into()), (1.0, "true".into())],
        )
        .unwrap();
        assert_eq!(b.value_at(0.99), Value::Bool(false));
        assert_eq!(b.value_at(1.0), Value::Bool(true));
    }

    #[test]
    fn bad_keys_are_named() {
        assert_eq!(
            Keyframes::new("progress", &float(), &[(0.0, "lots".into())])
                .unwrap_err()
                .to_string(),
            "input \"progress\" is of type float, but the value given is \"lots\""
        );
        assert_eq!(split_key("progress"), None);
        assert_eq!(split_key("progress@1.5"), Some(Ok(("progress", 1.5))));
        assert_eq!(
            split_key("progress@soon"),
            Some(Err(
                "\"progress@soon\": the time after @ must be a number of seconds (NAME@TIME=VALUE)"
                    .into()
            ))
        );
    }
}
