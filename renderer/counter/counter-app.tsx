/**
 * The window terminal (staff PC, 1366×768 and up): sign in with staff number, PIN and window; then
 * the counter screen runs on the staff session's own token.
 */
import { ServicesProvider } from '../shared/app.js';
import { CounterScreen } from './counter-screen.js';
import { SignIn } from './sign-in.js';
import { useStaffSession } from './staff-session.js';
import './counter.css';

export function CounterApp() {
  const { session, services, signedIn, signOut } = useStaffSession();
  if (!session || !services) return <SignIn onSignedIn={signedIn} />;
  return (
    <ServicesProvider value={services}>
      <CounterScreen session={session} onSignOut={signOut} />
    </ServicesProvider>
  );
}
