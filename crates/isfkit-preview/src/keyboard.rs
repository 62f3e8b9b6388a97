//! Shadertoy's keyboard texture from the window's keys: 256x3, one texel per JavaScript key
//! code; row 0 is 1 while the key is held, row 1 in the frame it went down, row 2 toggles at
//! each press (texel rows as `texelFetch` counts them, from the bottom).

use isfkit_render::ImageData;

/// The keys' state.
#[derive(Debug, Clone)]
pub struct Keyboard {
    held: [bool; 256],
    pressed: [bool; 256],
    toggled: [bool; 256],
    /// The texture changed since [`Keyboard::changed_image`] last gave it.
    changed: bool,
}

impl Default for Keyboard {
    fn default() -> Keyboard {
        Keyboard {
            held: [false; 256],
            pressed: [false; 256],
            toggled: [false; 256],
            changed: true,
        }
    }
}

impl Keyboard {
    /// A key went down or up; false when it changes nothing (a key Shadertoy has no code for,
    /// a repeat).
    pub fn key(&mut self, key: egui::Key, down: bool) -> bool {
        let Some(code) = js_key_code(key) else {
            return false;
        };
        let k = code as usize;
        if self.held[k] == down {
            return false;
        }
        self.held[k] = down;
        self.changed = true;
        if down {
            self.pressed[k] = true;
            self.toggled[k] = !self.toggled[k];
        }
        true
    }

    /// After a frame: the presses it showed are over. True when that changed the texture.
    pub fn end_frame(&mut self) -> bool {
        let any = self.pressed.iter().any(|p| *p);
        self.pressed = [false; 256];
        self.changed |= any;
        any
    }

    /// A new scene needs the texture, changed or not.
    pub fn touch(&mut self) {
        self.changed = true;
    }

    /// The texture, when it changed since this last gave it (so a frame uploads it only then).
    pub fn changed_image(&mut self) -> Option<ImageData> {
        std::mem::take(&mut self.changed).then(|| self.image())
    }

    /// The texture (rows top to bottom as images are stored: toggles, presses, held).
    pub fn image(&self) -> ImageData {
        let mut rgba = Vec::with_capacity(256 * 3 * 4);
        for row in [&self.toggled, &self.pressed, &self.held] {
            for &on in row.iter() {
                let v = if on { 255 } else { 0 };
                rgba.extend_from_slice(&[v, v, v, 255]);
            }
        }
        ImageData::new(256, 3, rgba).expect("256x3 RGBA")
    }
}

/// The JavaScript `keyCode` Shadertoy indexes its keyboard texture by.
fn js_key_code(key: egui::Key) -> Option<u8> {
    use egui::Key;
    let name = key.name();
    if let [c] = name.as_bytes() {
        if c.is_ascii_uppercase() || c.is_ascii_digit() {
            return Some(*c);
        }
    }
    Some(match key {
        Key::Backspace => 8,
        Key::Tab => 9,
        Key::Enter => 13,
        Key::Escape => 27,
        Key::Space => 32,
        Key::PageUp => 33,
        Key::PageDown => 34,
        Key::End => 35,
        Key::Home => 36,
        Key::ArrowLeft => 37,
        Key::ArrowUp => 38,
        Key::ArrowRight => 39,
        Key::ArrowDown => 40,
        Key::Insert => 45,
        Key::Delete => 46,
        Key::F1 => 112,
        Key::F2 => 113,
        Key::F3 => 114,
        Key::F4 => 115,
        Key::F5 => 116,
        Key::F6 => 117,
        Key::F7 => 118,
        Key::F8 => 119,
        Key::F9 => 120,
        Key::F10 => 121,
        Key::F11 => 122,
        Key::F12 => 123,
        Key::Comma => 188,
        Key::Minus => 189,
        Key::Period => 190,
        Key::Slash => 191,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_become_texels_by_javascript_code() {
        assert_eq!(js_key_code(egui::Key::A), Some(65));
        assert_eq!(js_key_code(egui::Key::Num7), Some(55));
        assert_eq!(js_key_code(egui::Key::ArrowLeft), Some(37));
        let mut k = Keyboard::default();
        assert!(k.key(egui::Key::Space, true));
        assert!(!k.key(egui::Key::Space, true), "a repeat changes nothing");
        let img = k.image();
        let texel = |row: usize, code: usize| img.rgba[(row * 256 + code) * 4];
        // Held (bottom row), pressed this frame (middle), toggled (top).
        assert_eq!((texel(2, 32), texel(1, 32), texel(0, 32)), (255, 255, 255));
        assert!(k.end_frame());
        assert!(k.key(egui::Key::Space, false));
        let img = k.image();
        let texel = |row: usize, code: usize| img.rgba[(row * 256 + code) * 4];
        assert_eq!((texel(2, 32), texel(1, 32), texel(0, 32)), (0, 0, 255));
    }
}
