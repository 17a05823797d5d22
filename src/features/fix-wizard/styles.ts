// The wizard's own Mantine styles, loaded with it rather than with the first page.
import '@mantine/core/styles/Modal.css';
import '@mantine/core/styles/Stepper.css';
import '@mantine/core/styles/Radio.css';
import '@mantine/core/styles/RadioIndicator.css';
import '@mantine/core/styles/Progress.css';
import '@mantine/core/styles/Tabs.css';
