'use strict';

// The dashboard draws learning curves (scatter, in the core), importance bars, box plots per cell and parallel
// coordinates; a bundle of these four is a quarter of the full plotly.js, so the page evaluates it in a quarter
// of the time.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/box'),
    require('plotly.js/lib/parcoords'),
]);

module.exports = Plotly;
