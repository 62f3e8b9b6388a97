//! A rendered frame in memory, rows top to bottom. Writing it to files is isfkit-output's
//! job (`isfkit_output::FrameExt`).

#[derive(Debug, Clone, PartialEq)]
pub enum Pixels {
    /// 4 bytes per pixel.
    Rgba8(Vec<u8>),
    /// 4 floats per pixel.
    Rgba32F(Vec<f32>),
}

/// A rendered image. Row 0 is the top of the frame, as the ISF Editor shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub width: u32,
    pub height: u32,
    pub pixels: Pixels,
}

impl Frame {
    /// The pixels as RGBA8 (float frames are clamped to 0..1 and rounded).
    pub fn to_rgba8(&self) -> Vec<u8> {
        match &self.pixels {
            Pixels::Rgba8(v) => v.clone(),
            Pixels::Rgba32F(v) => v
                .iter()
                .map(|f| (f.clamp(0.0, 1.0) * 255.0).round() as u8)
                .collect(),
        }
    }

    /// The pixels as RGBA8, borrowed when they already are (no copy for 8-bit frames).
    pub fn rgba8(&self) -> std::borrow::Cow<'_, [u8]> {
        match &self.pixels {
            Pixels::Rgba8(v) => std::borrow::Cow::Borrowed(v),
            Pixels::Rgba32F(_) => std::borrow::Cow::Owned(self.to_rgba8()),
        }
    }

    /// The pixels as RGBA32F (bytes are divided by 255).
    pub fn to_rgba32f(&self) -> Vec<f32> {
        match &self.pixels {
            Pixels::Rgba8(v) => v.iter().map(|&b| b as f32 / 255.0).collect(),
            Pixels::Rgba32F(v) => v.clone(),
        }
    }

    /// RGBA of the pixel at column `x`, row `y` (row 0 = top), as floats.
    pub fn pixel(&self, x: u32, y: u32) -> [f32; 4] {
        let i = (y as usize * self.width as usize + x as usize) * 4;
        match &self.pixels {
            Pixels::Rgba8(v) => [0, 1, 2, 3].map(|k| v[i + k] as f32 / 255.0),
            Pixels::Rgba32F(v) => [0, 1, 2, 3].map(|k| v[i + k]),
        }
    }
}
