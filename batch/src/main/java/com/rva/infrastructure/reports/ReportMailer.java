package com.rva.infrastructure.reports;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

import com.rva.application.reports.RegionReport;
import com.rva.application.reports.RegionReportRenderer;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * Sends a region report through the server's mail session ({@code java:jboss/mail/rva}): a
 * multipart/mixed message holding the text and HTML alternatives and the CSV attachment.
 */
@ApplicationScoped
public class ReportMailer {

    @Resource(lookup = "java:jboss/mail/rva")
    Session session;

    /** The Message-ID of a (region, day) report: the same on every attempt, so a receiving system can de-duplicate. */
    public static String messageId(RegionReport report, String host) {
        return "<region-report." + report.regionCode().replaceAll("[^A-Za-z0-9_.-]", "_") + "." + report.day() + "@"
                + host + ">";
    }

    /** Sends the report; returns its Message-ID. */
    public String send(RegionReport report, List<String> recipients) throws MessagingException {
        String id = messageId(report, "rva");
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(String.join(",", recipients), true));
        message.setSubject(RegionReportRenderer.subject(report), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());

        MimeMultipart alternatives = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(RegionReportRenderer.text(report), StandardCharsets.UTF_8.name());
        MimeBodyPart html = new MimeBodyPart();
        html.setContent(RegionReportRenderer.html(report), "text/html; charset=UTF-8");
        alternatives.addBodyPart(text);
        alternatives.addBodyPart(html);
        MimeBodyPart body = new MimeBodyPart();
        body.setContent(alternatives);

        MimeBodyPart csv = new MimeBodyPart();
        csv.setText(RegionReportRenderer.csv(report), StandardCharsets.UTF_8.name(), "csv");
        csv.setFileName("visitors-" + report.regionCode() + "-" + report.day() + ".csv");
        csv.setDisposition(MimeBodyPart.ATTACHMENT);

        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(body);
        mixed.addBodyPart(csv);
        message.setContent(mixed);
        message.saveChanges();
        Transport.send(message);
        return id;
    }
}
