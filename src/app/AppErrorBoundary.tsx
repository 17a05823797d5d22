import { Container } from '@mantine/core';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorPanel } from '../components/ErrorPanel.tsx';

interface State {
  error: Error | undefined;
}

/** Last line of defence: an unexpected error shows a message, never a blank page. */
export class AppErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Audience Doctor failed to render', error.message, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <Container size="md" py="xl">
        <ErrorPanel title="Something went wrong" fixes={['Reload the page. If it happens again, please report it.']}>
          {this.state.error.message}
        </ErrorPanel>
      </Container>
    );
  }
}
