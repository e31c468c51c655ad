// The Keel Inspector page: connects back to the server that served it (which relays to the
// app-server), and renders everything from one InspectorModel.
import { render } from 'preact';
import { App } from './app.js';
import { InspectorModel } from './model/inspector-model.js';
import './style.css';

const model = new InspectorModel(`ws://${location.host}/ws`);
render(<App model={model} />, document.getElementById('app')!);
void model.connect();
