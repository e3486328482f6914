import '@backstage/cli/asset-types';
// Backstage UI's styles (the new frontend system's pages and headers use its components).
import '@backstage/ui/css/styles.css';
import ReactDOM from 'react-dom/client';
import app from './App';

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
