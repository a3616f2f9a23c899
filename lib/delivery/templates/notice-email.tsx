import { Body, Button, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import { directionOf, type Locale } from "../../i18n/locales";
import { emailStyles } from "./email-styles";

export interface NoticeEmailProps {
  locale: Locale;
  preview: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; href: string };
  /** A one-time code, shown large and left-to-right on a line of its own. */
  code?: string;
}

/**
 * A plain security notice (a refused passkey, a new sign-in method...):
 * translated text in, one optional button. Callers pass already-translated
 * strings so one template serves every notice.
 */
export function NoticeEmail({ locale, preview, heading, paragraphs, action, code }: NoticeEmailProps) {
  return (
    <Html lang={locale} dir={directionOf(locale)}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={emailStyles.body}>
        <Container style={emailStyles.container}>
          <Heading as="h1" style={emailStyles.heading}>
            {heading}
          </Heading>
          {paragraphs.map((paragraph, index) => (
            <Text key={index} style={emailStyles.text}>
              {paragraph}
            </Text>
          ))}
          {code ? (
            <Text style={emailStyles.code}>{code}</Text>
          ) : null}
          {action ? (
            <Section style={emailStyles.buttonRow}>
              <Button href={action.href} style={emailStyles.button}>
                {action.label}
              </Button>
            </Section>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

NoticeEmail.PreviewProps = {
  locale: "en",
  preview: "A passkey was refused",
  heading: "We refused a sign-in with one of your passkeys",
  paragraphs: ["Its counter went backwards, which can mean it was copied."],
  action: { label: "Review your passkeys", href: "http://localhost:3000/en/settings/security" },
} satisfies NoticeEmailProps;
