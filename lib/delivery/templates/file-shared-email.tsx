import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { createTranslator } from "next-intl";
import { isolate } from "../../i18n/isolate";
import { directionOf, type Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { emailStyles } from "./email-styles";

export interface FileSharedEmailProps {
  locale: Locale;
  senderEmail: string;
  /** The sanitized display name (lib/product/file-name.ts); React escapes it. */
  fileName: string;
  recipientEmail: string;
  /**
   * The sender's own words (lib/product/send-note.ts: one short line), or
   * null. Shown as a quotation under "Message from {sender}, not from
   * Trustladder", so nobody mistakes another user's text for ours.
   */
  note: string | null;
  /** AUTH_URL, shown as text so the reader knows where to go without clicking. */
  siteUrl: string;
  /** Where the button goes: the requests page, which asks for sign-in first. */
  requestsUrl: string;
}

/**
 * Tells a recipient that a file was sent to them: who sent what, and how to
 * ask for access. It never carries the file, nor a link that grants access:
 * the reader must sign in with this address and the owner must approve.
 */
export function FileSharedEmail({ locale, senderEmail, fileName, recipientEmail, note, siteUrl, requestsUrl }: FileSharedEmailProps) {
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.fileShared" });
  // Addresses, names and URLs are left-to-right islands inside Arabic text.
  const sender = isolate(senderEmail);
  const file = isolate(fileName);
  return (
    <Html lang={locale} dir={directionOf(locale)}>
      <Head />
      <Preview>{t("preview", { sender })}</Preview>
      <Body style={emailStyles.body}>
        <Container style={emailStyles.container}>
          <Heading as="h1" style={emailStyles.heading}>
            {t("heading", { sender })}
          </Heading>
          <Text style={emailStyles.text}>{t("body", { sender, file })}</Text>
          {note ? (
            <Section style={quoteStyle}>
              <Text style={emailStyles.small}>{t("noteIntro", { sender })}</Text>
              {/* Isolated: text in another direction cannot reorder the email around it. */}
              <Text style={emailStyles.text}>{isolate(note)}</Text>
            </Section>
          ) : null}
          <Text style={emailStyles.text}>{t("howTo", { url: isolate(siteUrl), email: isolate(recipientEmail) })}</Text>
          <Section style={emailStyles.buttonRow}>
            <Button href={requestsUrl} style={emailStyles.button}>
              {t("button")}
            </Button>
          </Section>
          <Hr style={emailStyles.rule} />
          <Text style={emailStyles.small}>{t("notAttached")}</Text>
          <Text style={emailStyles.small}>{t("notExpected", { sender })}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The sender's note, set apart from the email's own words. */
const quoteStyle = { borderInlineStart: "4px solid #d1d5db", paddingInlineStart: "12px", margin: "16px 0" };

FileSharedEmail.PreviewProps = {
  locale: "en",
  senderEmail: "demo@trustladder.test",
  fileName: "quarterly-report.pdf",
  recipientEmail: "admin@trustladder.test",
  note: "Here is the report we talked about on Monday.",
  siteUrl: "http://localhost:3000",
  requestsUrl: "http://localhost:3000/en/requests",
} satisfies FileSharedEmailProps;
