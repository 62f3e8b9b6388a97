//! Keyframed inputs: an input's value at given times, moving between keys (numbers, points,
//! colours; linearly or along an easing curve) or in steps (bools, longs), held before the
//! first key and after the last. Written `--set progress@0=0 --set progress@2=1` (and
//! `--ease progress=ease-in-out`) on the command line, and
//! `inputs: { progress: { keys: [[0, 0.0], [2, 1.0]], ease: ease-in-out } }` in job files and
//! service requests.

use isfkit_render::format::InputType;
use isfkit_render::{Error, Value};
use serde::{Deserialize, Serialize};

/// How a keyed value moves from one key to the next: the fraction of the way `f` (0 to 1)
/// becomes `curve(f)`. Bools and longs step at the next key whatever the curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ease {
    /// `f`
    #[default]
    Linear,
    /// `f³`: starts slowly.
    EaseIn,
    /// `1 - (1 - f)³`: ends slowly.
    EaseOut,
    /// `3f² - 2f³` (smoothstep): starts and ends slowly.
    EaseInOut,
}

impl Ease {
    /// The names as written.
    pub const NAMES: &'static str = "linear, ease-in, ease-out, ease-in-out";

    /// `linear`, `ease-in`, `ease-out` or `ease-in-out`.
    pub fn parse(text: &str) -> Result<Ease, String> {
        match text.trim() {
            "linear" => Ok(Ease::Linear),
            "ease-in" => Ok(Ease::EaseIn),
            "ease-out" => Ok(Ease::EaseOut),
            "ease-in-out" => Ok(Ease::EaseInOut),
            other => Err(format!(
                "unknown easing \"{other}\" (easings: {})",
                Ease::NAMES
            )),
        }
    }

    fn curve(self, f: f64) -> f64 {
        match self {
            Ease::Linear => f,
            Ease::EaseIn => f * f * f,
            Ease::EaseOut => 1.0 - (1.0 - f).powi(3),
            Ease::EaseInOut => f * f * (3.0 - 2.0 * f),
        }
    }

    fn is_linear(&self) -> bool {
        *self == Ease::Linear
    }
}

/// The keys of one input as given, before they are checked against its type: `(time, value
/// text)` pairs (each value read as `--set` reads it) and the easing between them. What a
/// task and a service job carry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct KeyTrack {
    pub keys: Vec<(f64, String)>,
    #[serde(default, skip_serializing_if = "Ease::is_linear")]
    pub ease: Ease,
}

impl KeyTrack {
    /// The keys of a keyframed JSON value (`{"keys": [[time, value], ...], "ease": "..."}`),
    /// `None` when `v` is not keyframed; `Err` says what is wrong with it. Job files, Python
    /// and the service all read keys through this.
    pub fn from_json(v: &serde_json::Value) -> Option<Result<KeyTrack, String>> {
        let object = v.as_object()?;
        let keys = object.get("keys")?;
        Some(KeyTrack::read_json(object, keys))
    }

    fn read_json(
        object: &serde_json::Map<String, serde_json::Value>,
        keys: &serde_json::Value,
    ) -> Result<KeyTrack, String> {
        if let Some(other) = object.keys().find(|k| *k != "keys" && *k != "ease") {
            return Err(format!(
                "unknown field \"{other}\" beside keys (fields: keys, ease)"
            ));
        }
        let bad = || format!("keys must be a list of [time, value] pairs, not {keys}");
        let list = keys.as_array().ok_or_else(bad)?;
        let keys = list
            .iter()
            .map(|pair| match pair.as_array().map(Vec::as_slice) {
                Some([t, value]) => match (t.as_f64(), Value::json_text(value)) {
                    (Some(t), Some(text)) => Ok((t, text)),
                    _ => Err(bad()),
                },
                _ => Err(bad()),
            })
            .collect::<Result<Vec<_>, String>>()?;
        let ease = match object.get("ease") {
            None | Some(serde_json::Value::Null) => Ease::Linear,
            Some(serde_json::Value::String(s)) => Ease::parse(s)?,
            Some(other) => return Err(format!("ease must be one of {}, not {other}", Ease::NAMES)),
        };
        Ok(KeyTrack { keys, ease })
    }
}

/// The keys of one input, checked and by time.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyframes {
    keys: Vec<(f64, Value)>,
    ease: Ease,
}

impl Keyframes {
    /// Keys of input `name` (of type `ty`) from a track whose keys may come in any order;
    /// each value is read as `--set` reads it. At least one key; times finite.
    pub fn new(name: &str, ty: &InputType, track: &KeyTrack) -> Result<Keyframes, Error> {
        let what = || format!("input \"{name}\"");
        if track.keys.is_empty() {
            return Err(Error::Value {
                what: what(),
                reason: "keys: give at least one [time, value]".into(),
            });
        }
        let mut parsed = track
            .keys
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
        Ok(Keyframes {
            keys: parsed,
            ease: track.ease,
        })
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
            (Some((t0, a)), Some((t1, b))) => {
                a.lerp(b, self.ease.curve((t - t0) / (t1 - t0)) as f32)
            }
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

/// Plain values and key tracks of `--set` assignments (`NAME=VALUE`, and `NAME@SECONDS=VALUE`
/// for a key) with `--ease NAME=CURVE` assignments laid over the tracks. `Err` is the message
/// after `error: ` (it names the flag). `isf render` and `isf preview` read their flags
/// through this.
#[allow(clippy::type_complexity)]
pub fn split_sets(
    sets: &[(String, String)],
    eases: &[(String, String)],
) -> Result<
    (
        std::collections::BTreeMap<String, String>,
        std::collections::BTreeMap<String, KeyTrack>,
    ),
    String,
> {
    let mut plain = std::collections::BTreeMap::new();
    let mut keyed: std::collections::BTreeMap<String, KeyTrack> = Default::default();
    for (name, value) in sets {
        match split_key(name) {
            None => {
                plain.insert(name.clone(), value.clone());
            }
            Some(Ok((input, time))) => keyed
                .entry(input.to_owned())
                .or_default()
                .keys
                .push((time, value.clone())),
            Some(Err(m)) => return Err(format!("--set {m}")),
        }
    }
    for (name, curve) in eases {
        let track = keyed.get_mut(name).ok_or_else(|| {
            format!("--ease {name}: \"{name}\" has no keys (give --set {name}@SECONDS=VALUE)")
        })?;
        track.ease = Ease::parse(curve).map_err(|m| format!("--ease {name}: {m}"))?;
    }
    Ok((plain, keyed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn track(keys: &[(f64, &str)], ease: Ease) -> KeyTrack {
        KeyTrack {
            keys: keys.iter().map(|(t, v)| (*t, v.to_string())).collect(),
            ease,
        }
    }

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
            &track(&[(2.0, "1"), (0.0, "0")], Ease::Linear),
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
            &track(&[(0.0, "0,0,0,1"), (1.0, "1,0.5,0,1")], Ease::Linear),
        )
        .unwrap();
        assert_eq!(c.value_at(0.5), Value::Color([0.5, 0.25, 0.0, 1.0]));
        let b = Keyframes::new(
            "on",
            &InputType::Bool {
                default: false,
                identity: None,
            },
            &track(&[(0.0, "false"), (1.0, "true")], Ease::EaseInOut),
        )
        .unwrap();
        assert_eq!(b.value_at(0.99), Value::Bool(false));
        assert_eq!(b.value_at(1.0), Value::Bool(true));
    }

    #[test]
    fn easing_bends_the_way_between_keys_not_the_keys() {
        let at = |ease: Ease, t: f64| {
            let k = Keyframes::new(
                "progress",
                &float(),
                &track(&[(0.0, "0"), (2.0, "1")], ease),
            )
            .unwrap();
            match k.value_at(t) {
                Value::Float(v) => v,
                other => panic!("{other:?}"),
            }
        };
        for ease in [Ease::Linear, Ease::EaseIn, Ease::EaseOut, Ease::EaseInOut] {
            assert_eq!((at(ease, 0.0), at(ease, 2.0)), (0.0, 1.0), "{ease:?}");
        }
        assert_eq!(at(Ease::EaseIn, 1.0), 0.125);
        assert_eq!(at(Ease::EaseOut, 1.0), 0.875);
        assert_eq!(at(Ease::EaseInOut, 1.0), 0.5);
        assert_eq!(at(Ease::EaseInOut, 0.5), 0.15625);
    }

    #[test]
    fn keys_are_read_from_json_with_their_easing() {
        let read = |v: serde_json::Value| KeyTrack::from_json(&v);
        assert_eq!(read(serde_json::json!(0.5)), None);
        assert_eq!(
            read(serde_json::json!({"keys": [[0, 0], [2, [1, 0.5]]], "ease": "ease-out"})),
            Some(Ok(KeyTrack {
                keys: vec![(0.0, "0".into()), (2.0, "1,0.5".into())],
                ease: Ease::EaseOut
            }))
        );
        assert_eq!(
            read(serde_json::json!({"keys": [[0, 0]], "ease": "bouncy"})),
            Some(Err(
                "unknown easing \"bouncy\" (easings: linear, ease-in, ease-out, ease-in-out)"
                    .into()
            ))
        );
        assert_eq!(
            read(serde_json::json!({"keys": [[0, 0]], "easing": "ease-in"})),
            Some(Err(
                "unknown field \"easing\" beside keys (fields: keys, ease)".into()
            ))
        );
        assert_eq!(
            read(serde_json::json!({"keys": [0, 1]})),
            Some(Err(
                "keys must be a list of [time, value] pairs, not [0,1]".into()
            ))
        );
    }

    #[test]
    fn bad_keys_are_named() {
        assert_eq!(
            Keyframes::new("progress", &float(), &track(&[(0.0, "lots")], Ease::Linear))
                .unwrap_err()
                .to_string(),
            "input \"progress\" is of type float, but the value given is \"lots\""
        );
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let sets = pairs(&[("level", "0.5"), ("progress@1", "1"), ("progress@0", "0")]);
        let (plain, keyed) = split_sets(&sets, &pairs(&[("progress", "ease-in")])).unwrap();
        assert_eq!(plain["level"], "0.5");
        assert_eq!(
            keyed["progress"],
            track(&[(1.0, "1"), (0.0, "0")], Ease::EaseIn)
        );
        assert_eq!(
            split_sets(&sets, &pairs(&[("level", "ease-in")])).unwrap_err(),
            "--ease level: \"level\" has no keys (give --set level@SECONDS=VALUE)"
        );
        assert_eq!(
            split_sets(&sets, &pairs(&[("progress", "fast")])).unwrap_err(),
            "--ease progress: unknown easing \"fast\" (easings: linear, ease-in, ease-out, ease-in-out)"
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
