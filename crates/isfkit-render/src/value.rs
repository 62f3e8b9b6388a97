//! Input values, type-checked against the document's declarations.

use std::path::Path;

use isfkit_format::InputType;

use crate::error::{Error, Result};

/// A value for a non-image input.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Bool(bool),
    Long(i32),
    Float(f32),
    Point2D([f32; 2]),
    Color([f32; 4]),
}

impl Value {
    /// The value a fraction `f` (0 to 1) of the way from `self` to `to`: numbers, points and
    /// colours move linearly; a bool or a long (and values of different types) holds `self`
    /// until `to` is reached.
    pub fn lerp(&self, to: &Value, f: f32) -> Value {
        let mix = |a: f32, b: f32| a + (b - a) * f;
        match (self, to) {
            (Value::Float(a), Value::Float(b)) => Value::Float(mix(*a, *b)),
            (Value::Point2D(a), Value::Point2D(b)) => {
                Value::Point2D([mix(a[0], b[0]), mix(a[1], b[1])])
            }
            (Value::Color(a), Value::Color(b)) => {
                Value::Color(std::array::from_fn(|i| mix(a[i], b[i])))
            }
            _ if f >= 1.0 => *to,
            _ => *self,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Value::Bool(b) => format!("bool {b}"),
            Value::Long(v) => format!("long {v}"),
            Value::Float(v) => format!("float {v}"),
            Value::Point2D(p) => format!("point2D [{}, {}]", p[0], p[1]),
            Value::Color(c) => format!("color [{}, {}, {}, {}]", c[0], c[1], c[2], c[3]),
        }
    }

    /// The input's default value (`None` for image-like inputs).
    pub fn default_for(ty: &InputType) -> Option<Value> {
        Some(match ty {
            InputType::Event => Value::Bool(false),
            InputType::Bool { default, .. } => Value::Bool(*default),
            InputType::Long { default, .. } => Value::Long(*default),
            InputType::Float { default, .. } => Value::Float(*default),
            InputType::Point2D { default, .. } => Value::Point2D(*default),
            InputType::Color { default, .. } => Value::Color(*default),
            InputType::Image | InputType::Audio { .. } | InputType::AudioFft { .. } => return None,
        })
    }

    /// Converts to the input's type where that loses nothing a user would mind (an integer
    /// float for a long, a number for a float or bool), else fails naming both types.
    /// Floats must be finite (NaN or infinity is an [`Error::Value`] naming the input).
    pub fn coerce(self, name: &str, ty: &InputType) -> Result<Value> {
        let floats: &[f32] = match &self {
            Value::Float(v) => std::slice::from_ref(v),
            Value::Point2D(p) => p,
            Value::Color(c) => c,
            Value::Bool(_) | Value::Long(_) => &[],
        };
        for &v in floats {
            finite_f32(&format!("input \"{name}\""), v as f64)?;
        }
        let bad = || Error::InputType {
            name: name.to_owned(),
            expected: ty.type_name(),
            given: self.describe(),
        };
        Ok(match (ty, self) {
            (InputType::Event | InputType::Bool { .. }, Value::Bool(b)) => Value::Bool(b),
            (InputType::Event | InputType::Bool { .. }, Value::Long(v)) => Value::Bool(v != 0),
            (InputType::Long { .. }, Value::Long(v)) => Value::Long(v),
            (InputType::Long { .. }, Value::Float(v))
                if v.fract() == 0.0 && (-2_147_483_648.0..2_147_483_648.0).contains(&v) =>
            {
                Value::Long(v as i32)
            }
            (InputType::Long { .. }, Value::Bool(b)) => Value::Long(b as i32),
            (InputType::Float { .. }, Value::Float(v)) => Value::Float(v),
            (InputType::Float { .. }, Value::Long(v)) => Value::Float(v as f32),
            (InputType::Point2D { .. }, Value::Point2D(p)) => Value::Point2D(p),
            (InputType::Color { .. }, Value::Color(c)) => Value::Color(c),
            _ => return Err(bad()),
        })
    }

    /// A JSON value (a job file's `inputs`, a service request's) in the text form `--set`
    /// takes: a bool, a finite number, a string (a long's label, numbers as text), or a list
    /// of 1 to 4 finite numbers. `None` for anything else: null, objects, infinities, an
    /// empty or longer list.
    pub fn json_text(v: &serde_json::Value) -> Option<String> {
        use serde_json::Value as J;
        let finite = |x: &J| x.as_f64().filter(|f| f.is_finite());
        match v {
            J::Bool(b) => Some(b.to_string()),
            J::Number(n) => finite(v).map(|_| n.to_string()),
            J::String(s) => Some(s.clone()),
            J::Array(a) if (1..=4).contains(&a.len()) => a
                .iter()
                .map(|x| finite(x).map(|f| f.to_string()))
                .collect::<Option<Vec<_>>>()
                .map(|p| p.join(",")),
            _ => None,
        }
    }

    /// A JSON value for input `name` of type `ty`, with the rules of every face: its text
    /// form ([`json_text`](Self::json_text)) read as [`parse_for`](Self::parse_for) reads
    /// `--set`. Returns the value and its text (what a task carries).
    pub fn from_json(name: &str, ty: &InputType, v: &serde_json::Value) -> Result<(Value, String)> {
        let text = Value::json_text(v).ok_or_else(|| Error::InputType {
            name: name.to_owned(),
            expected: ty.type_name(),
            given: v.to_string(),
        })?;
        Ok((Value::parse_for(name, ty, &text)?, text))
    }

    /// Parses command-line text for an input of type `ty`: `true`/`1`, `3`, `0.5`, `0.2,0.8`,
    /// `1,0,0,1` (a colour may leave out alpha, which is then 1).
    pub fn parse_for(name: &str, ty: &InputType, text: &str) -> Result<Value> {
        let t = text.trim();
        let bad = || Error::InputType {
            name: name.to_owned(),
            expected: ty.type_name(),
            given: format!("\"{t}\""),
        };
        let what = format!("input \"{name}\"");
        // Numbers are read as f64 and checked, so `1e39` is an error, not an infinity.
        let num = |p: &str| -> Result<f32> {
            let v = p.trim().parse::<f64>().map_err(|_| bad())?;
            finite_f32(&what, v)
        };
        let nums = || -> Result<Vec<f32>> { t.split(',').map(num).collect() };
        Ok(match ty {
            InputType::Event | InputType::Bool { .. } => match t.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Value::Bool(true),
                "false" | "0" | "no" | "off" => Value::Bool(false),
                _ => return Err(bad()),
            },
            InputType::Long { values, labels, .. } => {
                if let Ok(v) = t.parse::<i32>() {
                    Value::Long(v)
                } else if let Some(i) = labels.iter().position(|l| l == t) {
                    Value::Long(values[i])
                } else {
                    return Err(bad());
                }
            }
            InputType::Float { .. } => Value::Float(num(t)?),
            InputType::Point2D { .. } => match nums()?.as_slice() {
                [x, y] => Value::Point2D([*x, *y]),
                _ => return Err(bad()),
            },
            InputType::Color { .. } => match nums()?.as_slice() {
                [r, g, b] => Value::Color([*r, *g, *b, 1.0]),
                [r, g, b, a] => Value::Color([*r, *g, *b, *a]),
                _ => return Err(bad()),
            },
            InputType::Image | InputType::Audio { .. } | InputType::AudioFft { .. } => {
                return Err(bad())
            }
        })
    }
}

/// `v` as the 32-bit float a shader receives: NaN, an infinity or a number beyond
/// ±3.4028235e38 (which would become infinite) is an [`Error::Value`] about `what`
/// (`input "speed"`, `time`).
pub fn finite_f32(what: &str, v: f64) -> Result<f32> {
    let reason = if v.is_nan() || v.is_infinite() {
        format!("{} is not a finite number", fmt_f64(v))
    } else if v.abs() > f32::MAX as f64 {
        format!(
            "{} is out of range for a 32-bit float (within ±{:e})",
            fmt_f64(v),
            f32::MAX
        )
    } else {
        return Ok(v as f32);
    };
    Err(Error::Value {
        what: what.to_owned(),
        reason,
    })
}

/// A number as a message shows it: `0.5`, `NaN`, `inf`, `1e100` (not 101 digits).
pub(crate) fn fmt_f64(v: f64) -> String {
    if v.is_finite() && v != 0.0 && !(1e-6..1e16).contains(&v.abs()) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// An RGBA8 image, rows top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageData {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl ImageData {
    /// An image of RGBA8 bytes; at most [`crate::MAX_IMAGE_SIDE`] pixels per side.
    pub fn new(width: u32, height: u32, rgba: Vec<u8>) -> Result<ImageData> {
        check_image_size(width, height).map_err(|message| Error::Image {
            path: "<memory>".into(),
            message,
        })?;
        if width == 0 || height == 0 || rgba.len() != width as usize * height as usize * 4 {
            return Err(Error::Image {
                path: "<memory>".into(),
                message: format!(
                    "{width}x{height} RGBA needs {} bytes, got {}",
                    width as usize * height as usize * 4,
                    rgba.len()
                ),
            });
        }
        Ok(ImageData {
            width,
            height,
            rgba,
        })
    }
}

/// Reads image files for the engine: the IMPORTED images a shader names. The engine decodes no
/// file itself; the faces give it a reader (isfkit-batch's, on isfkit-media).
pub trait ImageFiles: Send + Sync {
    /// The image at `path` as RGBA8; a side over [`crate::MAX_IMAGE_SIDE`] is an
    /// [`Error::Image`] before anything is decoded.
    fn load(&self, path: &Path) -> Result<ImageData>;
}

/// `Err(message)` when a `width`x`height` image is over [`crate::MAX_IMAGE_SIDE`].
pub(crate) fn check_image_size(width: u32, height: u32) -> std::result::Result<(), String> {
    let max = crate::MAX_IMAGE_SIDE;
    if width > max || height > max {
        return Err(format!(
            "the image is {width}x{height}, over the limit of {max} pixels per side"
        ));
    }
    Ok(())
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
    fn json_values_take_the_set_syntax_and_one_rule_set() {
        use serde_json::json;
        assert_eq!(Value::json_text(&json!(0.5)).as_deref(), Some("0.5"));
        assert_eq!(Value::json_text(&json!(true)).as_deref(), Some("true"));
        assert_eq!(
            Value::json_text(&json!([1, 0, 0, 1])).as_deref(),
            Some("1,0,0,1")
        );
        assert_eq!(Value::json_text(&json!({"a": 1})), None);
        assert_eq!(Value::json_text(&json!([])), None);
        assert_eq!(Value::json_text(&json!([1, 2, 3, 4, 5])), None);
        let float = InputType::Float {
            default: 0.0,
            min: 0.0,
            max: 1.0,
            identity: None,
        };
        assert_eq!(
            Value::from_json("speed", &float, &json!(0.25)).unwrap(),
            (Value::Float(0.25), "0.25".to_owned())
        );
        assert_eq!(
            Value::from_json("speed", &float, &json!(1e39))
                .unwrap_err()
                .to_string(),
            "input \"speed\": 1e39 is out of range for a 32-bit float (within ±3.4028235e38)"
        );
        assert_eq!(
            Value::from_json("speed", &float, &json!({"a": 1}))
                .unwrap_err()
                .to_string(),
            "input \"speed\" is of type float, but the value given is {\"a\":1}"
        );
    }

    #[test]
    fn non_finite_and_out_of_range_floats_are_errors() {
        let msg = |r: Result<Value>| r.unwrap_err().to_string();
        assert_eq!(
            msg(Value::parse_for("speed", &float(), "nan")),
            "input \"speed\": NaN is not a finite number"
        );
        assert_eq!(
            msg(Value::parse_for("speed", &float(), "-inf")),
            "input \"speed\": -inf is not a finite number"
        );
        assert_eq!(
            msg(Value::parse_for("speed", &float(), "1e39")),
            "input \"speed\": 1e39 is out of range for a 32-bit float (within ±3.4028235e38)"
        );
        assert_eq!(
            msg(Value::Float(f32::NAN).coerce("speed", &float())),
            "input \"speed\": NaN is not a finite number"
        );
        assert_eq!(
            Value::parse_for("speed", &float(), "0.5").unwrap(),
            Value::Float(0.5)
        );
        assert_eq!(
            msg(finite_f32("time", 1e100).map(Value::Float)),
            "time: 1e100 is out of range for a 32-bit float (within ±3.4028235e38)"
        );
    }

    #[test]
    fn a_long_from_a_float_must_fit() {
        let long = InputType::Long {
            default: 0,
            min: 0,
            max: 1,
            values: Vec::new(),
            labels: Vec::new(),
            identity: None,
        };
        assert_eq!(
            Value::Float(3.0).coerce("n", &long).unwrap(),
            Value::Long(3)
        );
        assert!(Value::Float(1e23).coerce("n", &long).is_err());
    }

    #[test]
    fn images_past_the_side_limit_are_refused_before_allocating() {
        let err = ImageData::new(20_000, 1, Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot read image <memory>: the image is 20000x1, over the limit of 16384 pixels per side"
        );
    }
}
