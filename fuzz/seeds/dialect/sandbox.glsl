#ifdef GL_ES
precision mediump float;
#endif
uniform float time;
uniform vec2 mouse;
uniform vec2 resolution;
uniform sampler2D backbuffer;
varying vec2 surfacePosition;
void main() {
	vec4 prev = texture2D(backbuffer, gl_FragCoord.xy / resolution);
	gl_FragColor = vec4(prev.r + 0.1, mouse, surfacePosition.x + time);
}
