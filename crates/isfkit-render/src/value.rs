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
    pub fn coerce(self, name: &str, ty: &InputType) -> Result<Value> {
        let bad = || Error::InputType {
            name: name.to_owned(),
            expected: ty.type_name(),
            given: self.describe(),
        };
        Ok(match (ty, self) {
            (InputType::Event | InputType::Bool { .. }, Value::Bool(b)) => Value::Bool(b),
            (InputType::Event | InputType::Bool { .. }, Value::Long(v)) => Value::Bool(v != 0),
            (InputType::Long { .. }, Value::Long(v)) => Value::Long(v),
            (InputType::Long { .. }, Value::Float(v)) if v.fract() == 0.0 => Value::Long(v as i32),
            (InputType::Long { .. }, Value::Bool(b)) => Value::Long(b as i32),
            (InputType::Float { .. }, Value::Float(v)) => Value::Float(v),
            (InputType::Float { .. }, Value::Long(v)) => Value::Float(v as f32),
            (InputType::Point2D { .. }, Value::Point2D(p)) => Value::Point2D(p),
            (InputType::Color { .. }, Value::Color(c)) => Value::Color(c),
            _ => return Err(bad()),
        })
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
        let nums = || -> Result<Vec<f32>> {
            t.split(',')
                .map(|p| p.trim().parse::<f32>().map_err(|_| bad()))
                .collect()
        };
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
            InputType::Float { .. } => Value::Float(t.parse().map_err(|_| bad())?),
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

/// An RGBA8 image, rows top to bottom.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageData {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl ImageData {
    pub fn new(width: u32, height: u32, rgba: Vec<u8>) -> Result<ImageData> {
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

    /// Reads a PNG or JPEG file.
    pub fn load(path: &Path) -> Result<ImageData> {
        let img = image::ImageReader::open(path)
            .map_err(|e| Error::Image {
                path: path.to_owned(),
                message: e.to_string(),
            })?
            .with_guessed_format()
            .map_err(|e| Error::Image {
                path: path.to_owned(),
                message: e.to_string(),
            })?
            .decode()
            .map_err(|e| Error::Image {
                path: path.to_owned(),
                message: e.to_string(),
            })?
            .to_rgba8();
        let (width, height) = img.dimensions();
        Ok(ImageData {
            width,
            height,
            rgba: img.into_raw(),
        })
    }
}

/// Audio samples, one `Vec` per channel (all the same length), in -1..1.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioData {
    pub channels: Vec<Vec<f32>>,
}
