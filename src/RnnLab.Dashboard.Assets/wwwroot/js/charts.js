// Draws the dashboard's charts with plotly.js. The page's head loads plotly.js (async), so the browser downloads
// and evaluates it while the interactive circuit starts; a draw that comes first waits for it.

const plotly = new Promise((resolve, reject) => {
    const script = document.getElementById('plotly-js');
    const settle = () => window.Plotly
        ? resolve(window.Plotly)
        : reject(new Error(`plotly.js did not load from ${script ? script.src : 'the page (no #plotly-js script)'}`));
    // "complete" comes after every async script of the page has run or failed.
    if (window.Plotly || !script || document.readyState === 'complete') {
        settle();
        return;
    }

    script.addEventListener('load', settle);
    script.addEventListener('error', settle);
});

/** Draws or redraws the chart in the element with this id; data-drawn counts the finished draws. */
export async function draw(id, data, layout, config) {
    const asked = performance.now();
    const Plotly = await plotly;
    const element = document.getElementById(id);
    if (!element) {
        return; // the chart left the page while plotly.js loaded
    }

    const started = performance.now();
    await Plotly.react(element, data, layout, config);
    element.dataset.drawn = String(Number(element.dataset.drawn || 0) + 1);
    // For the dashboard benchmark: when each draw was asked for, and how long plotly.js took.
    performance.measure(`chart ${id} waited`, { start: asked, end: started });
    performance.measure(`chart ${id} drawn`, { start: started, end: performance.now() });
}

/** Frees the chart's listeners (a responsive chart listens to the window's size). */
export function purge(id) {
    const element = document.getElementById(id);
    if (element && window.Plotly) {
        window.Plotly.purge(element);
    }
}
