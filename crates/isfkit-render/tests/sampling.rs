//! `FILTER` and `WRAP`: each texture is read through the sampler its entry names, directly,
//! through ISF's image macros and through a function's `sampler2D` parameter.

mod common;

use common::{bytes, quadrant_image, shutdown_clean, test_scene};
use isfkit_render::{RenderOptions, Value};

const TILED: &str = r#"/*{
  "ISFVSN": "2",
  "INPUTS": [
    {"NAME": "quads", "TYPE": "image", "FILTER": "nearest", "WRAP": "mirror"},
    {"NAME": "which", "TYPE": "long", "DEFAULT": 0}
  ],
  "PASSES": [
    {"TARGET": "cells", "WIDTH": 2, "HEIGHT": 2, "FILTER": "nearest", "WRAP": "repeat"},
    {"TARGET": "smooth", "WIDTH": 2, "HEIGHT": 2},
    {}
  ]
}*/
vec4 look(sampler2D s, vec2 uv) { return texture2D(s, uv); }
void main() {
  vec2 cell = floor(gl_FragCoord.xy);
  if (PASSINDEX < 2) {
    gl_FragColor = vec4(cell.x, cell.y, 0.0, 1.0);
  } else {
    vec2 uv = isf_FragNormCoord * 3.0;
    if (which == 0) gl_FragColor = look(cells, uv);
    else if (which == 1) gl_FragColor = IMG_NORM_PIXEL(cells, uv);
    else if (which == 2) gl_FragColor = look(smooth, uv);
    else gl_FragColor = look(quads, isf_FragNormCoord * 2.0);
  }
}
"#;

fn opts() -> RenderOptions {
    RenderOptions {
        width: 12,
        height: 12,
        time: 0.0,
        float_output: false,
        date: Some([2026.0, 1.0, 1.0, 0.0]),
    }
}

#[test]
fn textures_are_sampled_with_their_own_filter_and_wrap() {
    let (engine, scene) = test_scene(TILED);
    scene.set_image("quads", quadrant_image()).unwrap();
    let red = |f: &isfkit_render::Frame, y: u32| -> Vec<u8> {
        (0..12).map(|x| bytes(f.pixel(x, y))[0]).collect()
    };
    // The 2x2 buffer tiles three times across, each texel sharp, through a function's
    // sampler parameter and through IMG_NORM_PIXEL alike (the bottom row has y = 0).
    let tiled = vec![0, 0, 255, 255, 0, 0, 255, 255, 0, 0, 255, 255];
    for which in [0, 1] {
        scene.set("which", Value::Long(which)).unwrap();
        let f = scene.render(&opts()).unwrap();
        assert_eq!(red(&f, 11), tiled, "which = {which}");
        let green: Vec<u8> = (0..12).map(|y| bytes(f.pixel(0, y))[1]).collect();
        assert_eq!(green, vec![255, 255, 0, 0, 255, 255, 0, 0, 255, 255, 0, 0]);
    }
    // The same buffer without the keys: linear, clamped to its edge past the first copy.
    scene.set("which", Value::Long(2)).unwrap();
    let f = scene.render(&opts()).unwrap();
    assert_eq!(
        red(&f, 11),
        vec![0, 64, 191, 255, 255, 255, 255, 255, 255, 255, 255, 255]
    );
    // A mirrored image: the second copy is the first one flipped. The top row of the frame
    // reads near y = 2, mirrored to the image's bottom edge (blue left, white right).
    scene.set("which", Value::Long(3)).unwrap();
    let f = scene.render(&opts()).unwrap();
    let top: Vec<[u8; 4]> = (0..12).map(|x| bytes(f.pixel(x, 0))).collect();
    let (blue, white) = ([0, 0, 255, 255], [255; 4]);
    assert_eq!(top, [&[blue; 3][..], &[white; 6], &[blue; 3]].concat());
    drop(scene);
    shutdown_clean(&engine);
}

/// `"FLIPPED": true` reads an image upside down (its top row at y = 0, Shadertoy's vflip
/// off), for an input and an imported image; every other image is upright.
#[test]
fn a_flipped_image_reads_upside_down() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("quads.png");
    let q = quadrant_image();
    image::RgbaImage::from_raw(q.width, q.height, q.rgba.clone())
        .unwrap()
        .save(&png)
        .unwrap();
    let source = r#"/*{
  "ISFVSN": "2",
  "INPUTS": [
    {"NAME": "upright", "TYPE": "image"},
    {"NAME": "flipped", "TYPE": "image", "FLIPPED": true}
  ],
  "IMPORTED": {"stored": {"PATH": "quads.png", "FLIPPED": true}}
}*/
void main() {
  vec2 p = vec2(0.25);
  gl_FragColor = isf_FragNormCoord.x < 0.33 ? IMG_NORM_PIXEL(upright, p)
    : isf_FragNormCoord.x < 0.66 ? IMG_NORM_PIXEL(flipped, p) : IMG_NORM_PIXEL(stored, p);
}
"#;
    std::fs::write(dir.path().join("flip.fs"), source).unwrap();
    let engine = common::test_engine();
    let scene = engine.load(&dir.path().join("flip.fs")).unwrap();
    scene.set_image("upright", quadrant_image()).unwrap();
    scene.set_image("flipped", quadrant_image()).unwrap();
    let f = scene.render(&opts()).unwrap();
    // (0.25, 0.25) is the bottom-left quadrant upright (blue), the top-left flipped (red).
    assert_eq!(bytes(f.pixel(1, 6)), [0, 0, 255, 255]);
    assert_eq!(bytes(f.pixel(6, 6)), [255, 0, 0, 255]);
    assert_eq!(bytes(f.pixel(10, 6)), [255, 0, 0, 255]);
    drop(scene);
    shutdown_clean(&engine);
}

/// `"FILTER": "mipmap"` gives an image its chain of mip levels: `textureLod` at level 2 of a
/// 4x4 image (red left half, blue right) reads their average; without it, level 0.
#[test]
fn a_mipmapped_image_reads_its_smaller_levels() {
    let source = r#"/*{
  "ISFVSN": "2",
  "INPUTS": [
    {"NAME": "mipped", "TYPE": "image", "FILTER": "mipmap"},
    {"NAME": "plain", "TYPE": "image"}
  ]
}*/
void main() {
  vec2 p = vec2(0.25, 0.5);
  gl_FragColor = isf_FragNormCoord.x < 0.5 ? textureLod(mipped, p, 2.0) : textureLod(plain, p, 2.0);
}
"#;
    let halves: Vec<u8> = (0..16)
        .flat_map(|i| {
            if i % 4 < 2 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 255]
            }
        })
        .collect();
    let image = isfkit_render::ImageData::new(4, 4, halves).unwrap();
    let (engine, scene) = test_scene(source);
    scene.set_image("mipped", image.clone()).unwrap();
    scene.set_image("plain", image).unwrap();
    let f = scene.render(&opts()).unwrap();
    assert_eq!(bytes(f.pixel(2, 6)), [128, 0, 128, 255]);
    assert_eq!(bytes(f.pixel(9, 6)), [255, 0, 0, 255]);
    drop(scene);
    shutdown_clean(&engine);
}
