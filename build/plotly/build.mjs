// Builds src/RnnLab.Dashboard.Assets/wwwroot/lib/plotly-rnnlab.min.js with the settings of plotly.js's own bundles
// (esbuild-config.js in its package), from entry.js. Run by scripts/build-plotly.sh.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import esbuild from 'esbuild';

const require = createRequire(import.meta.url);
const { environmentPlugin } = require('esbuild-plugin-environment');
const { glsl } = require('esbuild-plugin-glsl');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
const version = JSON.parse(readFileSync(new URL('./node_modules/plotly.js/package.json', import.meta.url))).version;

await esbuild.build({
    entryPoints: ['./entry.js'],
    outfile: '../../src/RnnLab.Dashboard.Assets/wwwroot/lib/plotly-rnnlab.min.js',
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    banner: {
        js: `/**\n* plotly.js (scatter, bar, box, parcoords - minified) v${version}\n* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/`,
    },
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: { stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'info',
});
