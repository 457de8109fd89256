// A one-line text input: enough for a chat prompt, without a dependency for it.
import { useRef, useState } from 'react';
import { Text, useInput } from 'ink';

export interface TextInputProps {
  /** Called with the text on Enter; returns whether it was taken, which clears the input. */
  onSubmit: (text: string) => boolean;
  isActive: boolean;
  placeholder?: string;
}

export function TextInput({ onSubmit, isActive, placeholder }: TextInputProps) {
  const [value, setValue] = useState('');
  // Keys can arrive faster than React re-renders; the ref always holds the latest text.
  const latest = useRef('');
  const set = (v: string) => {
    latest.current = v;
    setValue(v);
  };
  useInput(
    (input, key) => {
      if (key.return) {
        if (onSubmit(latest.current)) set('');
        return;
      }
      if (key.backspace || key.delete) return set(Array.from(latest.current).slice(0, -1).join(''));
      if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end) return;
      // A chunk that ends in Enter (keys sent faster than the terminal splits them) is text, then a submit.
      const submit = input.length > 1 && input.endsWith('\r');
      const text = (submit ? input.slice(0, -1) : input).replace(/\r\n?|\n/g, ' ').replace(/\p{Cc}/gu, '');
      if (text) set(latest.current + text);
      if (submit && onSubmit(latest.current)) set('');
    },
    { isActive },
  );
  return (
    <Text>
      {value}
      {isActive ? <Text inverse> </Text> : null}
      {!value && placeholder ? <Text dimColor>{placeholder}</Text> : null}
    </Text>
  );
}
