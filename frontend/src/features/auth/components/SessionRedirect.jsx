import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { authKeys } from '../queryKeys';
import { SIGN_IN_PATH, setUnauthorizedHandler, signInLocation } from '../session';

/**
 * When the API answers 401 (signed out elsewhere, an expired session, or the
 * API requires sign-in), go to the sign-in page, remembering this page.
 */
export default function SessionRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const locationRef = useRef(location);
  useEffect(() => {
    locationRef.current = location;
  }, [location]);

  useEffect(
    () =>
      setUnauthorizedHandler(() => {
        queryClient.setQueryData(authKeys.me(), null);
        // The address bar is read too: a navigation made a moment ago (signing out
        // goes to the sign-in page with its notice) is there before this component
        // has rendered it, and a late 401 must not replace it.
        if (window.location.pathname === SIGN_IN_PATH) return;
        const target = signInLocation(locationRef.current);
        if (target) navigate(target, { replace: true });
      }),
    [navigate, queryClient],
  );
  return null;
}
